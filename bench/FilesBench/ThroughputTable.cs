using System.Globalization;

/// <summary>The runs of each operation at one object size, printed as the benchmarks' markdown rows (FilesS3Bench links this file).</summary>
internal sealed class ThroughputTable(long size)
{
    private readonly Dictionary<string, List<(double MBps, long Allocated)>> _runs = [];

    public static void PrintHeader()
    {
        Console.WriteLine("| size | operation | median MB/s | runs (MB/s) | allocated per op |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
    }

    public void Record(string operation, (double MBps, long Allocated) run) =>
        (_runs.TryGetValue(operation, out var runs) ? runs : _runs[operation] = []).Add(run);

    public double MedianMBps(string operation) => Median(_runs[operation].Select(r => r.MBps).ToList());

    /// <summary>One row per operation: median throughput, every run, median allocation.</summary>
    public void Print()
    {
        foreach (var (operation, runs) in _runs)
        {
            var allocated = runs.Select(r => r.Allocated).Order().ElementAt(runs.Count / 2);
            Console.WriteLine($"| {size / 1024 / 1024} MiB | {operation} | {MedianMBps(operation):0} | {string.Join(" ", runs.Select(r => r.MBps.ToString("0", CultureInfo.InvariantCulture)))} | {allocated / 1024.0:0} KiB |");
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
