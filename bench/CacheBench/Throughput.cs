using System.Diagnostics;

namespace CacheBench;

/// <summary>Runs <paramref name="operation"/> <c>total</c> times from <c>callers</c> concurrent loops and returns operations per second.</summary>
internal static class Throughput
{
    public static async Task<double> MeasureAsync(int callers, int total, Func<int, Task> operation)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await operation(i).ConfigureAwait(false);
            }
        })));
        stopwatch.Stop();
        return total / stopwatch.Elapsed.TotalSeconds;
    }
}
