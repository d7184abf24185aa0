using Mindora.Hosting;

namespace Mindora.Hosting.Tests;

/// <summary>Builds a model in a test with its own data directory, a free dashboard port and no signal handling.</summary>
internal static class TestStack
{
    public static MindoraApplicationBuilder CreateBuilder(params string[] args)
    {
        var builder = MindoraApplication.CreateBuilder(args);
        builder.Options.DataDirectory = NewTempDirectory();
        builder.Options.DashboardUrl = new Uri("http://127.0.0.1:0");
        builder.Options.RandomizePorts = true;
        builder.Options.ShutdownTimeout = TimeSpan.FromSeconds(3);
        builder.HandleSignals = false;
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        return builder;
    }

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "mindora-hosting-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Starts the application and waits until everything is healthy.</summary>
    public static async Task<MindoraApplication> StartHealthyAsync(MindoraApplicationBuilder builder, int timeoutSeconds = 30)
    {
        var app = builder.Build();
        await app.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await app.WaitForAllHealthyAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var states = string.Join("; ", app.Notifications.Snapshots.Select(s => $"{s.Name}={s.State}/{s.Health} {s.Error}{s.HealthDescription}"));
            await app.DisposeAsync();
            throw new TimeoutException($"Not healthy in time: {states}");
        }

        return app;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
