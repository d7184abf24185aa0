using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Tests;

public class OrchestrationTests
{
    [Fact]
    public async Task Embedded_services_are_healthy_and_their_connection_string_reaches_the_process()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        var redis = builder.AddRedis("cache");
        builder.AddExecutable("app", "sh", ".", "-c", "echo \"cs=$ConnectionStrings__cache\"; exec sleep 60")
            .WithReference(redis)
            .WaitFor(redis);

        await using var app = await TestStack.StartHealthyAsync(builder);

        var cache = app.Notifications.Get("cache")!;
        Assert.Equal(RuntimeKind.Embedded, cache.Runtime);
        Assert.Contains(cache.Endpoints, e => e.Url.StartsWith("file://", StringComparison.Ordinal));
        var directory = redis.Resource.Placement!.DataDirectory;
        await TestStack.EventuallyAsync(() => app.Logs.GetRecent("app").Any(l => l.Text == $"cs=Embedded={directory}"), "the app printing its connection string");
    }

    [Fact]
    public async Task A_dependent_starts_only_after_its_dependency_is_healthy()
    {
        var marker = Path.Combine(TestStack.NewTempDirectory(), "ready");
        var builder = TestStack.CreateBuilder();
        var slow = builder.AddExecutable("slow", "sh", ".", "-c", $"sleep 1; touch {marker}; exec sleep 60")
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/", "http");
        builder.AddExecutable("dependent", "sh", ".", "-c", $"test -f {marker} && echo saw-ready; exec sleep 60").WaitFor(slow);
        await using var app = builder.Build();
        await app.StartAsync();

        // 'slow' becomes healthy a second after it starts: its health endpoint (served here on the
        // port the AppHost gave it, so the test needs no HTTP server program) answers 200 only
        // once 'slow' has written its marker. Probes before the listener exists just fail.
        using var health = new MarkerHealthEndpoint(slow.Resource.GetEndpoint("http").Allocated.Port, marker);
        await app.WaitForAllHealthyAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var slowSnapshot = app.Notifications.Get("slow")!;
        var dependent = app.Notifications.Get("dependent")!;
        Assert.True(dependent.StartedAt >= slowSnapshot.StartedAt!.Value.AddSeconds(0.9));
        Assert.Equal(["slow"], dependent.WaitsFor);
        await TestStack.EventuallyAsync(() => app.Logs.GetRecent("dependent").Any(l => l.Text == "saw-ready"), "the dependent seeing the dependency ready");
    }

    [Fact]
    public async Task A_dependent_of_a_failed_resource_fails_saying_why()
    {
        var builder = TestStack.CreateBuilder();
        var broken = builder.AddProject("broken", "/tmp/" + Guid.NewGuid().ToString("N") + ".csproj");
        builder.AddExecutable("dependent", "sleep", ".", "60").WaitFor(broken);
        File.WriteAllText(broken.Resource.ProjectPath, "<Project>not a project</Project>");
        await using var app = builder.Build();
        await app.StartAsync();

        var dependent = await app.Notifications.WaitForAsync("dependent", s => s.State == ResourceState.Failed).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ResourceState.Failed, app.Notifications.Get("broken")!.State);
        Assert.Contains("'broken', which failed to start", dependent.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_output_is_captured_per_resource_with_stderr_marked()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddExecutable("talker", "sh", ".", "-c", "echo to-stdout; echo to-stderr 1>&2; exec sleep 60");

        await using var app = await TestStack.StartHealthyAsync(builder);

        await TestStack.EventuallyAsync(() => app.Logs.GetRecent("talker").Count(l => l.Origin is LogOrigin.Stdout or LogOrigin.Stderr) >= 2, "two captured lines");
        var lines = app.Logs.GetRecent("talker");
        Assert.Contains(lines, l => l.Origin == LogOrigin.Stdout && l.Text == "to-stdout");
        Assert.Contains(lines, l => l.Origin == LogOrigin.Stderr && l.Text == "to-stderr");
    }

    [Fact]
    public async Task Stopping_sends_SIGTERM_to_the_whole_process_group()
    {
        var builder = TestStack.CreateBuilder();
        // The child has its own child: both must be gone after the stop.
        builder.AddExecutable("parent", "sh", ".", "-c", "sleep 300 & echo child=$!; trap 'echo got-term; exit 0' TERM; while true; do sleep 0.1; done");
        var app = await TestStack.StartHealthyAsync(builder);
        await TestStack.EventuallyAsync(() => app.Logs.GetRecent("parent").Any(l => l.Text.StartsWith("child=", StringComparison.Ordinal)), "the grandchild's pid");
        var pid = app.Notifications.Get("parent")!.ProcessId!.Value;
        var grandchild = int.Parse(app.Logs.GetRecent("parent").First(l => l.Text.StartsWith("child=", StringComparison.Ordinal)).Text[6..], System.Globalization.CultureInfo.InvariantCulture);

        await app.DisposeAsync();

        Assert.Contains(app.Logs.GetRecent("parent"), l => l.Text == "got-term");
        Assert.Equal(ResourceState.Stopped, app.Notifications.Get("parent")!.State);
        Assert.Equal(0, app.Notifications.Get("parent")!.ExitCode);
        await TestStack.EventuallyAsync(() => !TestStack.ProcessExists(pid) && !TestStack.ProcessExists(grandchild), "parent and grandchild gone", 5);
    }

    [Fact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_after_the_timeout()
    {
        var builder = TestStack.CreateBuilder();
        builder.Options.ShutdownTimeout = TimeSpan.FromSeconds(1);
        builder.AddExecutable("stubborn", "sh", ".", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done");
        var app = await TestStack.StartHealthyAsync(builder);
        await TestStack.EventuallyAsync(() => app.Logs.GetRecent("stubborn").Any(l => l.Text == "ready"), "ready");
        var pid = app.Notifications.Get("stubborn")!.ProcessId!.Value;

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await app.DisposeAsync();

        Assert.False(TestStack.ProcessExists(pid));
        Assert.InRange(stopping.Elapsed.TotalSeconds, 0.9, 10);
    }

    [Fact]
    public async Task A_crashed_process_is_restarted_and_the_restart_is_counted()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddExecutable("crashy", "sh", ".", "-c", "echo started; sleep 0.3; exit 3");
        await using var app = builder.Build();
        await app.StartAsync();

        var restarted = await app.Notifications.WaitForAsync("crashy", s => s.Restarts >= 1).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(restarted.Restarts >= 1);
        Assert.Contains(app.Logs.GetRecent("crashy"), l => l.Text == "Exited with code 3.");
    }

    [Fact]
    public async Task Without_a_data_volume_data_is_per_run_and_removed_at_stop()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        var kept = builder.AddRedis("kept").WithDataVolume();
        var ephemeral = builder.AddRedis("ephemeral");
        var app = await TestStack.StartHealthyAsync(builder);
        var keptDirectory = kept.Resource.Placement!.DataDirectory;
        var ephemeralDirectory = ephemeral.Resource.Placement!.DataDirectory;
        File.WriteAllText(Path.Combine(keptDirectory, "data.txt"), "x");

        await app.DisposeAsync();

        Assert.True(File.Exists(Path.Combine(keptDirectory, "data.txt")));
        Assert.False(Directory.Exists(ephemeralDirectory));
    }

    [Fact]
    public async Task An_embedded_store_that_cannot_be_opened_makes_the_resource_unhealthy()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        var redis = builder.AddRedis("cache");
        await using var app = await TestStack.StartHealthyAsync(builder);

        File.WriteAllText(Path.Combine(redis.Resource.Placement!.DataDirectory, "tasks.db"), "this is not a database, just text that fills a page.........");

        var unhealthy = await app.Notifications.WaitForAsync("cache", s => s.Health == ResourceHealth.Unhealthy).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("tasks.db", unhealthy.HealthDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_secrets_persist_across_runs_and_never_reach_the_dashboard_view()
    {
        var dataDirectory = TestStack.NewTempDirectory();
        string? first = null;
        for (var run = 0; run < 2; run++)
        {
            var builder = TestStack.CreateBuilder("--runtime", "embedded");
            builder.Options.DataDirectory = dataDirectory;
            var redis = builder.AddRedis("cache");
            builder.AddExecutable("app", "sh", ".", "-c", "echo \"pw=$REDIS_PASSWORD\"; exec sleep 60")
                .WithEnvironment("REDIS_PASSWORD", builder.CreateResourceBuilder(redis.Resource.Password));
            await using var app = await TestStack.StartHealthyAsync(builder);

            var value = await redis.Resource.Password.GetValueAsync(ValueResolutionContext.Run);
            first ??= value;
            Assert.Equal(first, value);
            var shown = app.Notifications.Get("app")!.Environment.Single(e => e.Name == "REDIS_PASSWORD");
            Assert.True(shown.IsSecret);
            Assert.Equal(ValueResolutionContext.Mask, shown.Value);
            await TestStack.EventuallyAsync(() => app.Logs.GetRecent("app").Any(l => l.Text.StartsWith("pw=", StringComparison.Ordinal)), "the app's line");
            Assert.Contains(app.Logs.GetRecent("app"), l => l.Text == $"pw={ValueResolutionContext.Mask}");
        }

        Assert.Equal(24, first!.Length);
    }

    [Fact]
    public async Task Two_AppHosts_cannot_share_a_data_directory()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        builder.AddRedis("cache");
        await using var first = await TestStack.StartHealthyAsync(builder);
        var second = TestStack.CreateBuilder("--runtime", "embedded");
        second.Options.DataDirectory = first.Options.DataDirectory;
        await using var app = second.Build();

        var error = await Assert.ThrowsAsync<MindoraHostingException>(() => app.StartAsync());

        Assert.Contains("Another AppHost is using the data directory", error.Message, StringComparison.Ordinal);
    }
}
