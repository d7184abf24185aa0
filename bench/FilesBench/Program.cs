// Embedded Files throughput: upload (UploadAsync from a file stream: hash, type detection, temp
// file, fsync, rename, catalog row) and download (DownloadAsync copied to a null stream) of one
// object per size, against a raw FileStream copy of the same source with the same fsync, in the
// same run. Also the bytes allocated per operation, which must not grow with the object size, and
// a per-step breakdown (the provider's step spans and the baseline's own steps). Versioning is off,
// so each upload replaces the previous blob, which the provider unlinks after returning (files.reap):
// the bench waits for it and also reports the upload charged with it.
// Usage: dotnet run -c Release --project bench/FilesBench [sizesMiB=100,1024] [rounds=3] [dir=/tmp]
using System.Collections.Concurrent;
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

// Where an upload's time goes: the provider's step spans (files.stage.copy, files.stage.fsync,
// files.upload.rename, files.commit, files.delete_orphans) and the staging loop's own tags.
var steps = new ConcurrentDictionary<string, double>();
using var reaped = new SemaphoreSlim(0);
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == "Mindora.Files",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    ActivityStopped = activity =>
    {
        steps.AddOrUpdate(activity.OperationName, activity.Duration.TotalMilliseconds, (_, v) => v + activity.Duration.TotalMilliseconds);
        if (activity.OperationName == "files.reap")
        {
            reaped.Release();
        }
        foreach (var (tag, value) in activity.TagObjects)
        {
            if (tag.EndsWith("_ms", StringComparison.Ordinal) && value is double ms)
            {
                steps.AddOrUpdate(tag, ms, (_, v) => v + ms);
            }
        }
    },
};
ActivitySource.AddActivityListener(listener);
var breakdown = new List<(long Size, IReadOnlyDictionary<string, double> Steps)>();
try
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(Path.Combine(root, "store"))), new("Mindora:App", "bench"), new("Mindora:Files:MaxUploadBytes", long.MaxValue.ToString(CultureInfo.InvariantCulture)), new("Mindora:Files:Versioning", "false")]);
    builder.AddMindoraFiles();
    using var host = builder.Build();
    var files = host.Services.GetRequiredService<IMindoraFiles>();
    await files.EnsureBucketAsync("bench");

    ThroughputTable.PrintHeader();
    foreach (var size in sizes)
    {
        var source = Path.Combine(root, "source.bin");
        await Throughput.WriteSourceAsync(source, size);
        var results = new ThroughputTable(size);

        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 warms up (JIT, page cache) and is not recorded.
            var copy = await Throughput.MeasureAsync(size, () => RawCopyAsync(source, Path.Combine(root, "copy.bin"), steps));
            var baselineSteps = new Dictionary<string, double>(steps);
            steps.Clear();
            var upload = await Throughput.MeasureAsync(size, async () =>
            {
                await using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await files.UploadAsync("bench", "object.bin", stream);
            });
            // The replaced blob is deleted after UploadAsync returns (files.reap): wait for it, so it
            // neither runs into the next measurement nor goes unreported.
            var replaced = round > 0 || size != sizes[0];
            if (replaced && !await reaped.WaitAsync(TimeSpan.FromSeconds(30)))
            {
                Console.WriteLine("(no files.reap within 30 s)");
            }

            var uploadSteps = new Dictionary<string, double>(steps);
            steps.Clear();
            var rawRead = await Throughput.MeasureAsync(size, async () =>
            {
                await using var stream = new FileStream(Path.Combine(root, "copy.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await stream.CopyToAsync(Stream.Null);
            });
            var download = await Throughput.MeasureAsync(size, async () =>
            {
                await using var opened = await files.DownloadAsync("bench", "object.bin");
                await opened.Content.CopyToAsync(Stream.Null);
            });
            if (round > 0)
            {
                results.Record("write: raw FileStream copy + fsync (baseline)", copy);
                results.Record("write: IMindoraFiles.UploadAsync", upload);

                // The same upload charged with the deferred unlink of the blob it replaced, as the
                // baseline is charged with truncating its previous copy.
                var withReap = size / 1e6 / ((size / 1e6 / upload.MBps) + (uploadSteps.GetValueOrDefault("files.reap") / 1000));
                results.Record("write: UploadAsync + its deferred unlink of the replaced blob", (withReap, upload.Allocated));
                results.Record("read: raw FileStream (baseline)", rawRead);
                results.Record("read: IMindoraFiles.DownloadAsync", download);
                breakdown.Add((size, baselineSteps.Concat(uploadSteps).ToDictionary()));
            }

            steps.Clear();
        }

        results.Print();

        double Median(string name) => results.MedianMBps(name);
        var baseline = Median("write: raw FileStream copy + fsync (baseline)");
        Console.WriteLine($"| {size / 1024 / 1024} MiB | ratio upload / baseline (medians) | **{Median("write: IMindoraFiles.UploadAsync") / baseline:0.00}×** (with the deferred unlink: {Median("write: UploadAsync + its deferred unlink of the replaced blob") / baseline:0.00}×) | | |");
        File.Delete(source);
    }

    // Median milliseconds of each step per size (a step's time summed over one operation).
    Console.WriteLine();
    Console.WriteLine("| size | step | median ms | runs (ms) |");
    Console.WriteLine("| --- | --- | --- | --- |");
    foreach (var group in breakdown.GroupBy(b => b.Size))
    {
        foreach (var name in group.SelectMany(b => b.Steps.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var runs = group.Select(b => b.Steps.GetValueOrDefault(name)).ToList();
            Console.WriteLine($"| {group.Key / 1024 / 1024} MiB | {name} | {runs.Order().ElementAt(runs.Count / 2):0} | {string.Join(" ", runs.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} |");
        }
    }

    Console.WriteLine($"peak working set of the whole run: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
}
finally
{
    Directory.Delete(root, recursive: true);
}

static async Task RawCopyAsync(string source, string target, ConcurrentDictionary<string, double> steps)
{
    var started = Stopwatch.GetTimestamp();
    await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
    await using var to = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
    var opened = Stopwatch.GetTimestamp();
    await from.CopyToAsync(to, 81920);
    var copied = Stopwatch.GetTimestamp();
    to.Flush(flushToDisk: true);
    steps["baseline.open_truncate"] = Stopwatch.GetElapsedTime(started, opened).TotalMilliseconds;
    steps["baseline.copy"] = Stopwatch.GetElapsedTime(opened, copied).TotalMilliseconds;
    steps["baseline.fsync"] = Stopwatch.GetElapsedTime(copied).TotalMilliseconds;
}

