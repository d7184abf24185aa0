using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Tests.Worker;

/// <summary>
/// A task that runs longer than the lease (3 s) while a second worker watches the same store:
/// without working heartbeats the second worker would claim the expired lease and run it again.
/// </summary>
public sealed class WorkerHeartbeatTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly TimeSpan LongerThanTheLease = TimeSpan.FromSeconds(4.5);

    [Fact]
    public async Task Long_task_keeps_its_lease_by_heartbeat_and_runs_once()
    {
        var dir = temp.NewStoreDirectory();
        var probe = new RunProbe();
        await using var first = await StartAsync(dir, "worker-a", probe);
        var task = await first.Tasks.EnqueueAsync("long", null);
        await Poll.UntilAsync(() => !probe.Runs.IsEmpty, "the first worker to start the task");
        await using var second = await StartAsync(dir, "worker-b", probe);

        var done = await first.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal("worker-a", done.Worker);
        Assert.Equal(["worker-a"], probe.Runs);
    }

    [Fact]
    public async Task Heartbeat_survives_a_failed_renewal_and_keeps_the_lease()
    {
        var dir = temp.NewStoreDirectory();
        var probe = new RunProbe();
        await using var first = await StartAsync(dir, "worker-a", probe, flakyRenewals: 1);
        var task = await first.Tasks.EnqueueAsync("long", null);
        await Poll.UntilAsync(() => !probe.Runs.IsEmpty, "the first worker to start the task");
        await using var second = await StartAsync(dir, "worker-b", probe);

        var done = await first.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(["worker-a"], probe.Runs);
        Assert.True(first.Logs.Contains("heartbeat failed"), "The first renewal should have failed.");
    }

    private static Task<RunningHost> StartAsync(string dir, string workerId, RunProbe probe, int flakyRenewals = 0)
    {
        var builder = WorkerHosts.CreateBuilder(
            dir,
            ("Mindora:Worker:WorkerId", workerId),
            ("Mindora:Worker:LeaseDuration", "3"),
            ("Mindora:Worker:Concurrency", "1"));
        builder.Services.AddSingleton(probe);
        if (flakyRenewals > 0)
        {
            // A store hiccup on the heartbeat: the first renewals fail, everything else is real.
            FaultyBroker.Install(builder).Renewals.Times = flakyRenewals;
        }

        builder.AddMindoraWorker().AddHandler<LongHandler>("long");
        return builder.StartAsync();
    }

    private sealed class RunProbe
    {
        public ConcurrentQueue<string> Runs { get; } = new();
    }

    private sealed class LongHandler(RunProbe probe) : ITaskHandler
    {
        public async Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
        {
            probe.Runs.Enqueue(context.WorkerId);
            await Task.Delay(LongerThanTheLease, cancellationToken);
            return null;
        }
    }
}
