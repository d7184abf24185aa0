using System.Diagnostics;

namespace MessagingBench;

/// <summary>Sends every message number a publisher loop draws through <paramref name="send"/>.</summary>
internal delegate Task SendEach(Func<int, Task> send);

/// <summary>What every round shares: P publisher loops drawing message numbers 1..N, timed from the first send to the last handled message.</summary>
internal static class Publishing
{
    public static async Task<TimeSpan> TimeAsync(int messages, int publishers, Func<SendEach, Task> publisher, Task handled)
    {
        var next = 0;

        // Each loop calls its send for every number it draws; a loop may set itself up first (a channel).
        async Task SendEachNumber(Func<int, Task> send)
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= messages)
            {
                await send(n);
            }
        }

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(() => publisher(SendEachNumber))));
        await handled.WaitAsync(TimeSpan.FromMinutes(5));
        return watch.Elapsed;
    }
}
