using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mindora.EndToEnd.Tests;

/// <summary>The built AppHost run as its own process, as a user runs it, with the embedded runtime.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly List<string> _output = [];
    private readonly string _dataDirectory;

    private AppHostProcess(Process process, string dataDirectory)
    {
        Process = process;
        _dataDirectory = dataDirectory;
    }

    public Process Process { get; }

    public Uri DashboardUrl { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<AppHostProcess> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mindora-e2e", Guid.NewGuid().ToString("N")[..12]);
        InterruptDisposition.Unignore();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            typeof(Program).Assembly.Location, "--runtime", "embedded", "--data-dir", dataDirectory,
            "--dashboard-url", "http://127.0.0.1:0", "--unsecured", "--randomize-ports", "--shutdown-timeout", "5",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var host = new AppHostProcess(Process.Start(start)!, dataDirectory);
        var dashboard = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (host._output)
            {
                host._output.Add(e.Data);
            }

            if (DashboardLine().Match(e.Data) is { Success: true } match)
            {
                dashboard.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        host.Process.OutputDataReceived += OnLine;
        host.Process.ErrorDataReceived += OnLine;
        host.Process.BeginOutputReadLine();
        host.Process.BeginErrorReadLine();
        host.DashboardUrl = await dashboard.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await host.WaitForAllHealthyAsync();
        return host;
    }

    public async Task<JsonElement[]> GetResourcesAsync()
    {
        using var client = new HttpClient { BaseAddress = DashboardUrl };
        return (await client.GetFromJsonAsync<JsonElement[]>(new Uri("/api/resources", UriKind.Relative)))!;
    }

    private async Task WaitForAllHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var resources = await GetResourcesAsync();
            if (resources.All(r => r.GetProperty("state").GetString() == "running" && r.GetProperty("health").GetString() == "healthy"))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The AppHost's resources were not healthy in time. Output:\n{Output}");
    }

    /// <summary>Every process below the AppHost (children, grandchildren, …), from /proc.</summary>
    public IReadOnlySet<int> Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryReadParent(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var found = new HashSet<int>();
        var frontier = new Queue<int>([Process.Id]);
        while (frontier.Count > 0)
        {
            var current = frontier.Dequeue();
            foreach (var (pid, parent) in parents)
            {
                if (parent == current && found.Add(pid))
                {
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A process's command line, for failure messages ("?" once it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static int? TryReadParent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was kept.
        }
    }

    [GeneratedRegex(@"Dashboard: (http://\S+)")]
    private static partial Regex DashboardLine();
}
