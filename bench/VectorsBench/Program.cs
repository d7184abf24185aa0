// Vector search: the embedded store's HNSW index against its exact SIMD search on the same data
// directory (and Qdrant when MINDORA_TEST_QDRANT names a server), on random-but-clustered vectors.
// Reports the graph build time (load from SQLite, build, write the graph file), the time a second
// host takes to load that persisted graph, queries per second (one caller), recall@10 of each
// against exact, memory. Exact and HNSW (at each efSearch, on the loaded graph) take turns, round
// by round, so all see the same machine load; the QPS ratio is given per round and as the median.
// MINDORA_BENCH_DIR keeps the data directory between runs (same arguments): the points are then
// not written again and the first host loads the persisted graph instead of building it (reported so).
// Usage: dotnet run -c Release --project bench/VectorsBench [count=100000] [dimension=768] [queries=200] [clusters=count/5000] [rounds=3] [efSearch list=128,256]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Vectors;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var dimension = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 768;
var queries = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var clusters = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : Math.Max(1, count / 5000);
var rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 3;
var efs = (args.Length > 5 ? args[5] : "128,256").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray();
var kept = Environment.GetEnvironmentVariable("MINDORA_BENCH_DIR") is { Length: > 0 } keptRoot
    ? Path.Combine(Path.GetFullPath(keptRoot), string.Join('-', args.Take(4).DefaultIfEmpty("default")))
    : null;
var directory = kept ?? Path.Combine(Path.GetTempPath(), "mindora-vectors-bench-" + Guid.NewGuid().ToString("N"));
Console.WriteLine($"{count} x {dimension} vectors in {clusters} clusters, {queries} queries, top 10, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");

var random = new Random(42);
var centres = Enumerable.Range(0, clusters).Select(_ => Vector(random, dimension, null, 1f)).ToArray();
var data = Enumerable.Range(0, count).Select(_ => Vector(random, dimension, centres[random.Next(centres.Length)], 0.6f)).ToArray();
var probes = Enumerable.Range(0, queries).Select(_ => Vector(random, dimension, data[random.Next(count)], 0.3f)).ToArray();

try
{
    using var exactHost = Open(MindoraConnectionString(directory), o => o.HnswThreshold = int.MaxValue);
    var exact = exactHost.Services.GetRequiredService<IMindoraVectors>();
    var watch = Stopwatch.StartNew();
    if ((await exact.GetCollectionAsync("bench"))?.Count != count)
    {
        await exact.DeleteCollectionAsync("bench");
        await exact.EnsureCollectionAsync("bench", dimension, VectorDistance.Cosine);
        foreach (var batch in data.Select((v, i) => new VectorPoint($"p{i}", v)).Chunk(5000))
        {
            await exact.UpsertAsync("bench", batch);
        }

        Console.WriteLine($"upsert into SQLite: {watch.Elapsed.TotalSeconds:F1} s");
    }
    else
    {
        Console.WriteLine($"points kept in {directory} from an earlier run");
    }

    var (_, exactIds, _, _) = await MeasureAsync("exact (SIMD brute force), warm-up round", exact, probes, null);

    var graphFile = Directory.GetFiles(directory, "vectors-*.hnsw").FirstOrDefault();
    using (var buildHost = Open(MindoraConnectionString(directory), o => o.HnswThreshold = 1))
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        await buildHost.Services.GetRequiredService<IMindoraVectors>().CountAsync("bench");
        var what = graphFile is null ? "load from SQLite, build the graph and write it" : "load from SQLite and the graph file kept from an earlier run (NOT a build)";
        Console.WriteLine($"HNSW (M 16, efConstruction 128): {what}: {watch.Elapsed.TotalSeconds:F1} s, managed memory +{(GC.GetTotalMemory(true) - before) / 1048576.0:F0} MiB (vectors alone {count * (long)dimension * 4 / 1048576.0:F0} MiB)");
    }

    graphFile = Directory.GetFiles(directory, "vectors-*.hnsw").Single();
    Console.WriteLine($"graph file: {new FileInfo(graphFile).Length / 1048576.0:F0} MiB");

    // A second host, as another process would: it loads the persisted graph. The bench keeps its
    // options instance to vary efSearch on that graph (the provider reads it per search).
    MindoraVectorsOptions? hnswOptions = null;
    using var hnswHost = Open(MindoraConnectionString(directory), o => (hnswOptions = o).HnswThreshold = 1);
    var hnsw = hnswHost.Services.GetRequiredService<IMindoraVectors>();
    watch.Restart();
    await hnsw.CountAsync("bench");
    Console.WriteLine($"second host: load from SQLite and the persisted graph: {watch.Elapsed.TotalSeconds:F1} s");
    var ratios = efs.ToDictionary(e => e, _ => new List<double>());
    var latencyRatios = efs.ToDictionary(e => e, _ => new List<double>());
    var recalls = new Dictionary<int, double>();
    for (var round = 1; round <= rounds; round++)
    {
        Console.WriteLine($"round {round}, load average {LoadAverage()}");
        var (exactQps, _, _, exactP50) = await MeasureAsync("  exact", exact, probes, exactIds);
        foreach (var ef in efs)
        {
            hnswOptions!.HnswEfSearch = ef;
            var (hnswQps, _, recall, hnswP50) = await MeasureAsync($"  HNSW efSearch {ef}", hnsw, probes, exactIds);
            ratios[ef].Add(hnswQps / exactQps);
            latencyRatios[ef].Add(exactP50 / hnswP50);
            recalls[ef] = recall;
        }
    }

    foreach (var ef in efs)
    {
        Console.WriteLine($"efSearch {ef}: HNSW / exact QPS median {Median(ratios[ef])} at recall@10 {recalls[ef]:F3}; exact p50 / HNSW p50 median {Median(latencyRatios[ef])}");
    }

    if (Environment.GetEnvironmentVariable("MINDORA_TEST_QDRANT") is { Length: > 0 } qdrantServer)
    {
        using var qdrantHost = Open(qdrantServer.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase) ? qdrantServer : $"Endpoint={qdrantServer}", null);
        var qdrant = qdrantHost.Services.GetRequiredService<IMindoraVectors>();
        await qdrant.DeleteCollectionAsync("bench");
        await qdrant.EnsureCollectionAsync("bench", dimension, VectorDistance.Cosine);
        watch.Restart();
        foreach (var batch in data.Select((v, i) => new VectorPoint($"p{i}", v)).Chunk(1000))
        {
            await qdrant.UpsertAsync("bench", batch);
        }

        Console.WriteLine($"Qdrant upsert: {watch.Elapsed.TotalSeconds:F1} s");
        await MeasureAsync("Qdrant", qdrant, probes, exactIds);
        await qdrant.DeleteCollectionAsync("bench");
    }
}
finally
{
    if (kept is null)
    {
        Directory.Delete(directory, recursive: true);
    }
}

// The median and the rounds' values, e.g. "14.6x (rounds 14.6 9.4 17.6)".
static string Median(List<double> values) =>
    $"{values.Order().ElementAt(values.Count / 2):F1}x (rounds {string.Join(" ", values.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))})";

static async Task<(double Qps, List<string[]> Ids, double Recall, double P50)> MeasureAsync(string name, IMindoraVectors vectors, float[][] probes, List<string[]>? reference)
{
    await vectors.SearchAsync("bench", new VectorSearchRequest { Vector = probes[0], Top = 10 }); // warm-up
    var ids = new List<string[]>(probes.Length);
    var latencies = new List<double>(probes.Length);
    var total = Stopwatch.StartNew();
    foreach (var probe in probes)
    {
        var one = Stopwatch.StartNew();
        var hits = await vectors.SearchAsync("bench", new VectorSearchRequest { Vector = probe, Top = 10 });
        latencies.Add(one.Elapsed.TotalMilliseconds);
        ids.Add(hits.Select(h => h.Id).ToArray());
    }

    var qps = probes.Length / total.Elapsed.TotalSeconds;
    latencies.Sort();
    var recall = reference is null ? 1.0 : ids.Zip(reference, (a, b) => a.Intersect(b).Count()).Sum() / (double)reference.Sum(r => r.Length);
    Console.WriteLine($"{name}: {qps:F0} QPS, p50 {latencies[latencies.Count / 2]:F2} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F2} ms, recall@10 {recall:F3}");
    return (qps, ids, recall, latencies[latencies.Count / 2]);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static IHost Open(string connectionString, Action<MindoraVectorsOptions>? configure)
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:qdrant", connectionString), new("Mindora:App", "bench")]);
    builder.AddMindoraVectors("qdrant", configure);
    return builder.Build();
}

static string MindoraConnectionString(string directory) => Mindora.Integrations.MindoraConnectionString.ForEmbedded(directory);

static float[] Vector(Random random, int dimension, float[]? centre, float spread)
{
    var vector = new float[dimension];
    for (var i = 0; i < dimension; i++)
    {
        vector[i] = (centre?[i] ?? 0) + (float)((random.NextDouble() * 2 - 1) * spread);
    }

    return vector;
}
