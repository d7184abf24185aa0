using System.Diagnostics;

/// <summary>What the embedded and the S3 files benchmarks measure the same way (FilesS3Bench links this file).</summary>
internal static class Throughput
{
    /// <summary>Runs one operation on <paramref name="size"/> bytes: its MB/s and the bytes it allocated.</summary>
    public static async Task<(double MBps, long Allocated)> MeasureAsync(long size, Func<Task> operation)
    {
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        await operation();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (size / 1e6 / seconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    /// <summary>Writes <paramref name="size"/> random (seeded) bytes to <paramref name="path"/>.</summary>
    public static async Task WriteSourceAsync(string path, long size)
    {
        var buffer = new byte[1024 * 1024];
        new Random(1).NextBytes(buffer);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        for (long written = 0; written < size; written += buffer.Length)
        {
            await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - written)));
        }
    }
}
