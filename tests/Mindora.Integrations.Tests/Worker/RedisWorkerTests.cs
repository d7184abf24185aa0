using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Worker;

/// <summary>The worker host on the real redis-server, connected as the app's ACL user, as under the AppHost's process runtime.</summary>
[Collection(SharedServers.Collection)]
public sealed class RedisWorkerTests(SharedServers servers, TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Worker_on_redis_runs_tasks_retries_a_failure_and_then_runs_the_continuation()
    {
        var apps = new ProvisionedApps(servers);
        var app = await apps.NewAsync();
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), app, null, ("ConnectionStrings:redis", apps[app].Redis));
        builder.AddMindoraWorker().AddHandler<FailsOnceHandler>("fails-once").AddHandler<EchoHandler>("echo");
        await using var host = await builder.StartAsync();

        var first = await host.Tasks.EnqueueAsync("fails-once", null, new EnqueueOptions { Priority = TaskPriority.High });
        var next = await host.Tasks.EnqueueAsync("echo", "after", new EnqueueOptions { After = first.Id });
        var plain = await host.Tasks.EnqueueAsync("echo", "plain", new EnqueueOptions { Priority = TaskPriority.Low });

        var firstDone = await host.Tasks.WaitForTaskAsync(first.Id);
        var nextDone = await host.Tasks.WaitForTaskAsync(next.Id);
        var plainDone = await host.Tasks.WaitForTaskAsync(plain.Id);

        Assert.IsType<RedisTaskStore>(host.Tasks);
        Assert.Equal((MindoraTaskStatus.Succeeded, 2), (firstDone.Status, firstDone.Attempts));
        Assert.Equal((MindoraTaskStatus.Succeeded, "\"after\""), (nextDone.Status, nextDone.ResultJson));
        Assert.True(nextDone.StartedAt >= firstDone.FinishedAt);
        Assert.Equal((MindoraTaskStatus.Succeeded, "\"plain\""), (plainDone.Status, plainDone.ResultJson));
    }

    private sealed class FailsOnceHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) =>
            context.Task.Attempts == 1 ? throw new InvalidOperationException("first attempt fails") : Task.FromResult<object?>("ok");
    }

    private sealed class EchoHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(System.Text.Json.JsonSerializer.Deserialize<string>(context.Task.PayloadJson));
    }
}
