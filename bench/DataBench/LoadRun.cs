using System.Diagnostics;

namespace DataBench;

/// <summary>What one run measured.</summary>
/// <param name="ClientCpu">CPU time this process (the client) spent in the run: unlike throughput on a
/// shared 2-core machine, the client's CPU per query barely moves with what else runs.</param>
internal sealed record LoadResult(string Name, long Operations, TimeSpan Elapsed, double P50Ms, double P95Ms, double P99Ms, TimeSpan ClientCpu)
{
    public double Throughput => Operations / Elapsed.TotalSeconds;

    public double ClientCpuMicrosecondsPerQuery => ClientCpu.TotalMicroseconds / Math.Max(1, Operations);
}

internal static class LoadRun
{
    /// <summary>
    /// Saturation: <paramref name="workers"/> loops, each issuing its next query as soon as the last
    /// one answers, for <paramref name="duration"/>. Gives the most queries per second the stack
    /// serves; latency then is mostly waiting in line (Little's law: workers / throughput).
    /// </summary>
    public static Task<LoadResult> SaturateAsync(string name, int workers, TimeSpan duration, Func<int, CancellationToken, Task> query, int keys, CancellationToken cancellationToken) =>
        RunAsync(name, workers, duration, null, query, keys, cancellationToken);

    /// <summary>
    /// Paced: the same loops, each issuing its queries on a fixed schedule so that all of them
    /// together offer <paramref name="rate"/> queries per second. Latency is measured from the
    /// scheduled start, so a query that had to wait for the one before it counts its wait.
    /// </summary>
    public static Task<LoadResult> PacedAsync(string name, int workers, double rate, TimeSpan duration, Func<int, CancellationToken, Task> query, int keys, CancellationToken cancellationToken) =>
        RunAsync(name, workers, duration, TimeSpan.FromSeconds(workers / rate), query, keys, cancellationToken);

    private static async Task<LoadResult> RunAsync(string name, int workers, TimeSpan duration, TimeSpan? interval, Func<int, CancellationToken, Task> query, int keys, CancellationToken cancellationToken)
    {
        var latencies = new List<long>[workers];
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, workers).Select(w => Task.Run(
            async () =>
            {
                var mine = latencies[w] = new List<long>(64 * 1024);
                var random = new Random(w);

                // Paced workers start spread over one interval, so the offered load is even.
                var next = started + (interval is { } i ? (long)(i.TotalSeconds * Stopwatch.Frequency * w / workers) : 0);
                while (!cancellationToken.IsCancellationRequested)
                {
                    long begin;
                    if (interval is { } every)
                    {
                        if (next >= end)
                        {
                            break;
                        }

                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken);
                        }

                        begin = next;
                        next += (long)(every.TotalSeconds * Stopwatch.Frequency);
                    }
                    else
                    {
                        begin = Stopwatch.GetTimestamp();
                        if (begin >= end)
                        {
                            break;
                        }
                    }

                    // The query itself is not cancelled: a cut-off query would not be a measurement.
                    await query(random.Next(1, keys + 1), CancellationToken.None);
                    mine.Add(Stopwatch.GetTimestamp() - begin);
                }
            },
            CancellationToken.None)).ToArray();
        await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var clientCpu = Environment.CpuUsage.TotalTime - cpuBefore;

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(name, all.Length, elapsed, Percentile(0.50), Percentile(0.95), Percentile(0.99), clientCpu);
    }
}
