using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CacheBench;

/// <summary>Runs <c>redis-benchmark -c C [-P P] -t get,set -n N -q</c> and reads its requests per second.</summary>
internal static partial class RedisBenchmarkTool
{
    public static async Task<(double Set, double Get)> RunAsync(string tool, int port, int clients, int requests, int pipeline = 1)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture), "-t", "get,set", "-n", requests.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture), "-q" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // -q prints progress with '\r' and then one line per test: "SET: 81234.56 requests per second, p50=…".
        double Find(string test) =>
            Line().Matches(output).Where(m => m.Groups[1].Value == test).Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).LastOrDefault();
        return (Find("SET"), Find("GET"));
    }

    [GeneratedRegex(@"(SET|GET): ([0-9.]+) requests per second")]
    private static partial Regex Line();
}
