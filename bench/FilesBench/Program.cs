// Embedded Files throughput: upload (UploadAsync from a file stream: hash, type detection, temp
// file, fsync, rename, catalog row) and download (DownloadAsync copied to a null stream) of one
// object per size, against a raw FileStream copy of the same source with the same fsync, in the
// same run. Also the bytes allocated per operation, which must not grow with the object size.
// Usage: dotnet run -c Release --project bench/FilesBench [sizesMiB=100,1024] [rounds=3] [dir=/tmp]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations;
using Mindora.Integrations.Files;

var sizes = (args.Length > 0 ? args[0] : "100,1024").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture) * 1024 * 1024).ToList();
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var root = Path.Combine(args.Length > 2 ? args[2] : Path.GetTempPath(), "mindora-files-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
try
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(Path.Combine(root, "store"))), new("Mindora:App", "bench"), new("Mindora:Files:MaxUploadBytes", long.MaxValue.ToString(CultureInfo.InvariantCulture)), new("Mindora:Files:Versioning", "false")]);
    builder.AddMindoraFiles();
    using var host = builder.Build();
    var files = host.Services.GetRequiredService<IMindoraFiles>();
    await files.EnsureBucketAsync("bench");

    Console.WriteLine("| size | operation | median MB/s | runs (MB/s) | allocated per op |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    foreach (var size in sizes)
    {
        var source = Path.Combine(root, "source.bin");
        await WriteSourceAsync(source, size);
        var results = new Dictionary<string, List<(double MBps, long Allocated)>>();
        void Record(string name, (double, long) result) => (results.TryGetValue(name, out var l) ? l : results[name] = []).Add(result);

        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 warms up (JIT, page cache) and is not recorded.
            var copy = await MeasureAsync(size, () => RawCopyAsync(source, Path.Combine(root, "copy.bin")));
            var upload = await MeasureAsync(size, async () =>
            {
                await using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await files.UploadAsync("bench", "object.bin", stream);
            });
            var rawRead = await MeasureAsync(size, async () =>
            {
                await using var stream = new FileStream(Path.Combine(root, "copy.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await stream.CopyToAsync(Stream.Null);
            });
            var download = await MeasureAsync(size, async () =>
            {
                await using var opened = await files.DownloadAsync("bench", "object.bin");
                await opened.Content.CopyToAsync(Stream.Null);
            });
            if (round > 0)
            {
                Record("write: raw FileStream copy + fsync (baseline)", copy);
                Record("write: IMindoraFiles.UploadAsync", upload);
                Record("read: raw FileStream (baseline)", rawRead);
                Record("read: IMindoraFiles.DownloadAsync", download);
            }
        }

        foreach (var (name, runs) in results)
        {
            var median = runs.Select(r => r.MBps).Order().ElementAt(runs.Count / 2);
            var allocated = runs.Select(r => r.Allocated).Order().ElementAt(runs.Count / 2);
            Console.WriteLine($"| {size / 1024 / 1024} MiB | {name} | {median:0} | {string.Join(" ", runs.Select(r => r.MBps.ToString("0", CultureInfo.InvariantCulture)))} | {allocated / 1024.0:0} KiB |");
        }

        File.Delete(source);
    }

    Console.WriteLine($"peak working set of the whole run: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
}
finally
{
    Directory.Delete(root, recursive: true);
}

static async Task<(double MBps, long Allocated)> MeasureAsync(long size, Func<Task> operation)
{
    GC.Collect();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var started = Stopwatch.GetTimestamp();
    await operation();
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    return (size / 1e6 / seconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
}

static async Task RawCopyAsync(string source, string target)
{
    await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
    await using var to = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
    await from.CopyToAsync(to, 81920);
    to.Flush(flushToDisk: true);
}

static async Task WriteSourceAsync(string path, long size)
{
    var buffer = new byte[1024 * 1024];
    new Random(1).NextBytes(buffer);
    await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
    for (long written = 0; written < size; written += buffer.Length)
    {
        await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - written)));
    }
}
