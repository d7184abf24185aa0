using System.Runtime.InteropServices;

namespace Mindora.EndToEnd.Tests;

/// <summary>No child process survives the AppHost: not after Ctrl+C, not after the AppHost is killed.</summary>
public partial class ShutdownTests
{
    private const int SigInt = 2;

    /// <summary>What the terminal sends on Ctrl+C.</summary>
    private static int Interrupt(int pid) => Kill(pid, SigInt);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [Fact]
    public async Task Ctrl_C_stops_every_resource_and_the_AppHost_exits_cleanly()
    {
        await using var host = await AppHostProcess.StartAsync();
        var resources = await host.GetResourcesAsync();
        var projectPids = resources.Where(r => r.TryGetProperty("processId", out _)).Select(r => r.GetProperty("processId").GetInt32()).ToList();
        var descendants = host.Descendants();
        Assert.Equal(2, projectPids.Count);
        Assert.Subset(descendants.ToHashSet(), projectPids.ToHashSet());

        Assert.Equal(0, Interrupt(host.Process.Id));

        // A deadline against a hang, not a speed target: on a loaded 2-core machine the servers'
        // own shutdowns alone have taken over 30 s.
        try
        {
            await host.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            // Say where it hung: what the AppHost printed and which of its children still run.
            var alive = descendants.Where(AppHostProcess.IsAlive).Select(pid => $"{pid} {AppHostProcess.CommandLine(pid)}");
            Assert.Fail($"The AppHost did not exit within 120 s of Ctrl+C.\nStill running: {string.Join("; ", alive)}\nIts output:\n{host.Output}");
        }

        Assert.Equal(0, host.Process.ExitCode);
        Assert.Contains("stopping every resource", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(descendants, AppHostProcess.IsAlive);
    }

    [Fact]
    public async Task Killing_the_AppHost_with_SIGKILL_leaves_no_child_behind()
    {
        await using var host = await AppHostProcess.StartAsync();
        var descendants = host.Descendants();
        Assert.True(descendants.Count >= 3, "the two projects and the reaper");

        host.Process.Kill();
        await host.Process.WaitForExitAsync();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (descendants.Any(AppHostProcess.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.DoesNotContain(descendants, AppHostProcess.IsAlive);
    }
}
