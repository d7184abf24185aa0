// Files on S3: upload (UploadAsync from a file stream: SHA-256, type detection, 16 MiB parts sent
// one after the other, then the self-copy that stamps the SHA-256) and download (DownloadAsync
// copied to a null stream) of one object per size, against raw AWSSDK.S3 on the same server in
// the same run, interleaved per round: TransferUtility's upload (parts of the same size, sent
// concurrently, no hashing) and GetObject copied to a null stream. Also the bytes allocated per
// operation (must not grow with the size) and the peak working set.
// Usage: MINDORA_TEST_S3='Endpoint=…;AccessKey=…;SecretKey=…' \
//        dotnet run -c Release --project bench/FilesS3Bench [sizesMiB=100,1024] [rounds=3] [dir=/tmp]
// (tests/s3-server.sh starts a Ceph RADOS Gateway here and prints that string.)
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations;
using Mindora.Integrations.Files;

var connection = Environment.GetEnvironmentVariable("MINDORA_TEST_S3");
if (string.IsNullOrWhiteSpace(connection))
{
    Console.Error.WriteLine("Set MINDORA_TEST_S3 to an S3 connection string (tests/s3-server.sh start DIR prints one).");
    return 2;
}

var sizes = (args.Length > 0 ? args[0] : "100,1024").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture) * 1024 * 1024).ToList();
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var root = Path.Combine(args.Length > 2 ? args[2] : Path.GetTempPath(), "mindora-files-s3-bench-" + Guid.NewGuid().ToString("N")[..8]);
const long PartBytes = 16L * 1024 * 1024;
Directory.CreateDirectory(root);

var settings = new DbConnectionStringBuilder { ConnectionString = connection };
using var raw = new AmazonS3Client(
    new BasicAWSCredentials((string)settings["AccessKey"], (string)settings["SecretKey"]),
    new AmazonS3Config
    {
        ServiceURL = (string)settings["Endpoint"],
        ForcePathStyle = true,
        AuthenticationRegion = settings.TryGetValue("Region", out var region) ? (string)region : "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });
using var transfer = new TransferUtility(raw);
var app = "fb" + Guid.NewGuid().ToString("N")[..8];
var rawBucket = app + "-raw";
try
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddInMemoryCollection(
    [
        new("ConnectionStrings:files", connection),
        new("Mindora:App", app),
        new("Mindora:Files:MaxUploadBytes", long.MaxValue.ToString(CultureInfo.InvariantCulture)),
        new("Mindora:Files:MultipartPartBytes", PartBytes.ToString(CultureInfo.InvariantCulture)),
        new("Mindora:Files:Versioning", "false"),
    ]);
    builder.AddMindoraFiles();
    using var host = builder.Build();
    var files = host.Services.GetRequiredService<IMindoraFiles>();
    await files.EnsureBucketAsync("bench");
    await raw.PutBucketAsync(new PutBucketRequest { BucketName = rawBucket });
    await using var cleanup = new Cleanup(() => files.DeleteBucketAsync("bench", deleteContent: true));

    ThroughputTable.PrintHeader();
    foreach (var size in sizes)
    {
        var source = Path.Combine(root, "source.bin");
        await Throughput.WriteSourceAsync(source, size);
        var results = new ThroughputTable(size);

        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 warms up (JIT, connections) and is not recorded.
            var rawUpload = await Throughput.MeasureAsync(size, () => transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = rawBucket, Key = "object.bin", FilePath = source, PartSize = PartBytes }));
            var upload = await Throughput.MeasureAsync(size, async () =>
            {
                await using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await files.UploadAsync("bench", "object.bin", stream);
            });
            var rawDownload = await Throughput.MeasureAsync(size, async () =>
            {
                using var response = await raw.GetObjectAsync(new GetObjectRequest { BucketName = rawBucket, Key = "object.bin" });
                await response.ResponseStream.CopyToAsync(Stream.Null);
            });
            var download = await Throughput.MeasureAsync(size, async () =>
            {
                await using var opened = await files.DownloadAsync("bench", "object.bin");
                await opened.Content.CopyToAsync(Stream.Null);
            });
            if (round > 0)
            {
                results.Record("write: raw TransferUtility upload (baseline)", rawUpload);
                results.Record("write: IMindoraFiles.UploadAsync", upload);
                results.Record("read: raw GetObject (baseline)", rawDownload);
                results.Record("read: IMindoraFiles.DownloadAsync", download);
            }
        }

        results.Print();

        File.Delete(source);
    }

    Console.WriteLine($"peak working set of the whole run: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
    return 0;
}
finally
{
    await raw.DeleteObjectAsync(new DeleteObjectRequest { BucketName = rawBucket, Key = "object.bin" });
    await raw.DeleteBucketAsync(new DeleteBucketRequest { BucketName = rawBucket });
    Directory.Delete(root, recursive: true);
}

/// <summary>Runs an asynchronous clean-up at the end of a scope (here: before the host that owns the provider is disposed).</summary>
internal sealed class Cleanup(Func<Task> action) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await action();
}
