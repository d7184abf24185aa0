using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Tests.Worker;

public sealed class WorkerShutdownTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Stopping_lets_a_running_task_finish_within_the_drain_timeout_and_claims_nothing_more()
    {
        var hold = new Hold();
        await using var host = await StartAsync(temp.NewStoreDirectory(), hold, drainSeconds: "20");
        var running = await host.Tasks.EnqueueAsync("hold", null);
        var waiting = await host.Tasks.EnqueueAsync("hold", null);
        await Poll.UntilAsync(() => hold.Started == 1, "the first task to start");

        var stopping = host.StopAsync();
        await Poll.UntilAsync(() => host.Logs.Contains("Draining"), "the worker to begin draining");
        Assert.False(stopping.IsCompleted, "Stop must wait for the running task.");
        hold.Release();
        await stopping;

        var finished = await host.Tasks.GetAsync(running.Id);
        Assert.Equal(MindoraTaskStatus.Succeeded, finished?.Status);
        Assert.Equal(1, finished?.Attempts);
        var untouched = await host.Tasks.GetAsync(waiting.Id);
        Assert.Equal(MindoraTaskStatus.Queued, untouched?.Status);
        Assert.Equal(0, untouched?.Attempts);
        Assert.Equal(1, hold.Started);
        Assert.True(host.Logs.Contains("Worker stopped"));
    }

    [Fact]
    public async Task Task_still_running_at_the_drain_timeout_is_canceled_and_queued_again_without_using_up_an_attempt()
    {
        var dir = temp.NewStoreDirectory();
        var hold = new Hold();
        string taskId;
        await using (var host = await StartAsync(dir, hold, drainSeconds: "0.5"))
        {
            // One attempt only: were the shutdown counted as a failure, the task would be lost.
            taskId = (await host.Tasks.EnqueueAsync("hold", null, new EnqueueOptions { MaxAttempts = 1 })).Id;
            await Poll.UntilAsync(() => hold.Started == 1, "the task to start");

            await host.StopAsync();

            var retrying = await host.Tasks.GetAsync(taskId);
            Assert.Equal(MindoraTaskStatus.Queued, retrying?.Status);
            Assert.Equal(0, retrying?.Attempts);
            Assert.Contains("shut down", retrying?.Error, StringComparison.Ordinal);
            Assert.Equal(1, hold.Canceled);
        }

        // Not lost: the next worker on the same store runs it again.
        hold.Release();
        await using var next = await StartAsync(dir, hold, drainSeconds: "5");
        var done = await next.Tasks.WaitForTaskAsync(taskId);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Null(done.Error);
    }

    [Fact]
    public async Task Host_shutdown_timeout_covers_the_drain_timeout()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:DrainTimeout", "40"));
        builder.AddMindoraWorker();
        using var host = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(45), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static Task<RunningHost> StartAsync(string dir, Hold hold, string drainSeconds)
    {
        var builder = WorkerHosts.CreateBuilder(dir, ("Mindora:Worker:DrainTimeout", drainSeconds), ("Mindora:Worker:Concurrency", "1"));
        builder.Services.AddSingleton(hold);
        builder.AddMindoraWorker().AddHandler<HoldHandler>("hold");
        return builder.StartAsync();
    }

    private sealed class Hold
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _canceled;

        public int Started => Volatile.Read(ref _started);

        public int Canceled => Volatile.Read(ref _canceled);

        public void Release() => _released.TrySetResult();

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            try
            {
                await _released.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _canceled);
                throw;
            }
        }
    }

    private sealed class HoldHandler(Hold hold) : ITaskHandler
    {
        public async Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
        {
            await hold.WaitAsync(cancellationToken);
            return null;
        }
    }
}
