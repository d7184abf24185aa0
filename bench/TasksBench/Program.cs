// End-to-end task throughput (enqueue → claim → complete) with 10 workers on one redis-server:
// the Redis task provider against a raw RESP queue (LPUSH + BRPOP + INCR as "complete") in the
// same run, plus pickup latency and Redis commands per task.
// Usage: dotnet run -c Release --project bench/TasksBench [tasks=20000] [workers=10] [rounds=3]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CacheBench;
using Mindora.Integrations;
using Mindora.Integrations.Redis;
using Mindora.Integrations.Tasks;

var tasks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
const int Producers = 10;

using var server = await RedisServerProcess.StartAsync("redis-server");
var connectionString = $"127.0.0.1:{server.Port}";
Console.WriteLine($"redis-server on port {server.Port}; {tasks} tasks per run, {workers} workers, {Producers} producers, {rounds} rounds (median).");
await using var raw = new RedisClient(RedisConnectionSettings.Parse(connectionString, "bench"));
await using var mindora = MindoraClient.Create("bench", new Dictionary<string, string> { ["redis"] = connectionString });
string[] queues = ["default"];

async Task<(double PerSecond, double P99Ms)> MindoraRunAsync(int count)
{
    var done = 0;
    var pickup = new ConcurrentBag<double>();
    var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var stop = new CancellationTokenSource();
    var watch = Stopwatch.StartNew();
    var loops = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            if (await mindora.Broker.TryClaimAsync(queues, "w" + w, TimeSpan.FromMinutes(1)) is not { } lease)
            {
                try
                {
                    await mindora.Broker.WaitForWorkAsync(queues, TimeSpan.FromSeconds(1), stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                continue;
            }

            pickup.Add((lease.Task.StartedAt!.Value - lease.Task.CreatedAt).TotalMilliseconds);
            await mindora.Broker.CompleteAsync(lease, null);
            if (Interlocked.Increment(ref done) == count)
            {
                finished.TrySetResult();
            }
        }
    })).ToList();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) < count)
        {
            await mindora.Tasks.EnqueueAsync("noop", null);
        }
    })));
    await finished.Task;
    var elapsed = watch.Elapsed;
    await stop.CancelAsync();
    await Task.WhenAll(loops);
    var sorted = pickup.Order().ToList();
    return (count / elapsed.TotalSeconds, sorted[(int)(sorted.Count * 0.99)]);
}

async Task<double> RawRunAsync(int count)
{
    var done = 0;
    var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var stop = new CancellationTokenSource();
    var watch = Stopwatch.StartNew();
    var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            var popped = await raw.ExecuteBlockingAsync(0, RedisRequest.Create("BRPOP", "raw:queue", 1), TimeSpan.FromSeconds(1), CancellationToken.None);
            if (popped.IsNull)
            {
                continue;
            }

            await raw.ExecuteAsync(RedisRequest.Create("INCR", "raw:done"), CancellationToken.None);
            if (Interlocked.Increment(ref done) == count)
            {
                finished.TrySetResult();
            }
        }
    })).ToList();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            await raw.ExecuteAsync(RedisRequest.Create("LPUSH", "raw:queue", "{\"id\":" + i.ToString(CultureInfo.InvariantCulture) + "}"), CancellationToken.None);
        }
    })));
    await finished.Task;
    var elapsed = watch.Elapsed;
    await stop.CancelAsync();
    await Task.WhenAll(loops);
    return count / elapsed.TotalSeconds;
}

async Task<Dictionary<string, long>> CommandStatsAsync()
{
    var info = (await raw.ExecuteAsync(RedisRequest.Create("INFO", "commandstats"), CancellationToken.None)).AsString()!;
    var stats = new Dictionary<string, long>();
    foreach (var line in info.Split('\n').Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal)))
    {
        var name = line[8..line.IndexOf(':', StringComparison.Ordinal)];
        var calls = line.Split(',')[0].Split('=')[1];
        stats[name] = long.Parse(calls, CultureInfo.InvariantCulture);
    }

    return stats;
}

// Warm-up: JIT, connections, script cache.
await MindoraRunAsync(2_000);
await RawRunAsync(2_000);

var mindoraRates = new List<double>();
var rawRates = new List<double>();
var p99s = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    await raw.ExecuteAsync(RedisRequest.Create("CONFIG", "RESETSTAT"), CancellationToken.None);
    var (rate, p99) = await MindoraRunAsync(tasks);
    var stats = await CommandStatsAsync();
    var rawRate = await RawRunAsync(tasks);
    mindoraRates.Add(rate);
    rawRates.Add(rawRate);
    p99s.Add(p99);
    var scripts = stats.GetValueOrDefault("evalsha") + stats.GetValueOrDefault("eval");
    var all = stats.Where(s => s.Key is not "config" and not "info").Sum(s => s.Value);
    Console.WriteLine(
        $"round {round}: Mindora {rate:0} tasks/s (p99 pickup {p99:0} ms, {scripts / (double)tasks:0.00} scripts and {all / (double)tasks:0.0} Redis commands per task incl. those inside scripts, idle claims included); raw LPUSH/BRPOP {rawRate:0} tasks/s");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine();
Console.WriteLine("| | tasks/s | vs raw |");
Console.WriteLine("| --- | --- | --- |");
Console.WriteLine($"| raw RESP LPUSH + BRPOP + INCR | {Median(rawRates):0} | 100 % |");
Console.WriteLine($"| Mindora Tasks on Redis (enqueue, claim, complete) | {Median(mindoraRates):0} | {Median(mindoraRates) / Median(rawRates):P0} |");
Console.WriteLine($"p99 pickup latency (enqueue → claim, median of rounds): {Median(p99s):0} ms");
