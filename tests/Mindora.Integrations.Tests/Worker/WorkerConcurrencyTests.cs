using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Tests.Worker;

public sealed class WorkerConcurrencyTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Concurrency_n_runs_n_tasks_at_once_and_never_more()
    {
        const int concurrency = 3;
        var gate = new Gate();
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Concurrency", "3"));
        builder.Services.AddSingleton(gate);
        builder.AddMindoraWorker().AddHandler<GatedHandler>("gated");
        await using var host = await builder.StartAsync();

        var ids = new List<string>();
        for (var i = 0; i < 2 * concurrency; i++)
        {
            ids.Add((await host.Tasks.EnqueueAsync("gated", null)).Id);
        }

        // The handlers wait at the gate: all N can only be inside at once if N run concurrently.
        await Poll.UntilAsync(() => gate.Running == concurrency, "three handlers inside the gate");
        Assert.Equal(concurrency, (await host.Tasks.ListAsync(MindoraTaskStatus.Running)).Count);
        Assert.Equal(concurrency, (await host.Tasks.ListAsync(MindoraTaskStatus.Queued)).Count);
        gate.Open();

        foreach (var id in ids)
        {
            Assert.Equal(MindoraTaskStatus.Succeeded, (await host.Tasks.WaitForTaskAsync(id)).Status);
        }

        Assert.Equal(concurrency, gate.MaxRunning);
        Assert.Equal(2 * concurrency, gate.Entered);
    }

    [Fact]
    public async Task Worker_takes_tasks_only_from_its_configured_queues()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Queues", "high,default"), ("Mindora:Worker:Concurrency", "1"));
        builder.AddMindoraWorker().AddHandler<NoopHandler>("noop");
        await using var host = await builder.StartAsync();

        // Enqueued first, so a worker serving "low" would claim it before the others.
        var low = await host.Tasks.EnqueueAsync("noop", null, new EnqueueOptions { Queue = "low" });
        var high = await host.Tasks.EnqueueAsync("noop", null, new EnqueueOptions { Queue = "high" });
        var normal = await host.Tasks.EnqueueAsync("noop", null);

        Assert.Equal(MindoraTaskStatus.Succeeded, (await host.Tasks.WaitForTaskAsync(high.Id)).Status);
        Assert.Equal(MindoraTaskStatus.Succeeded, (await host.Tasks.WaitForTaskAsync(normal.Id)).Status);
        var untouched = await host.Tasks.GetAsync(low.Id);
        Assert.Equal(MindoraTaskStatus.Queued, untouched?.Status);
        Assert.Equal(0, untouched?.Attempts);
    }

    [Fact]
    public async Task Handlers_can_enqueue_follow_up_tasks_that_the_same_worker_runs()
    {
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Concurrency", "1"));
        builder.AddMindoraWorker().AddHandler<ChainHandler>("chain").AddHandler<NoopHandler>("noop");
        await using var host = await builder.StartAsync();

        var first = await host.Tasks.EnqueueAsync("chain", null);
        var done = await host.Tasks.WaitForTaskAsync(first.Id);
        var followUpId = System.Text.Json.JsonSerializer.Deserialize<string>(done.ResultJson!)!;

        Assert.Equal(MindoraTaskStatus.Succeeded, (await host.Tasks.WaitForTaskAsync(followUpId)).Status);
    }

    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _maxRunning;
        private int _entered;

        public int Running => Volatile.Read(ref _running);

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public int Entered => Volatile.Read(ref _entered);

        public void Open() => _open.TrySetResult();

        public async Task PassAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _entered);
            var now = Interlocked.Increment(ref _running);
            for (var max = Volatile.Read(ref _maxRunning); now > max; max = Volatile.Read(ref _maxRunning))
            {
                Interlocked.CompareExchange(ref _maxRunning, now, max);
            }

            try
            {
                await _open.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private sealed class GatedHandler(Gate gate) : ITaskHandler
    {
        public async Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
        {
            await gate.PassAsync(cancellationToken);
            return null;
        }
    }

    private sealed class NoopHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
    }

    private sealed class ChainHandler(ITaskQueue queue) : ITaskHandler
    {
        public async Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) =>
            (await queue.EnqueueAsync("noop", null, cancellationToken: cancellationToken)).Id;
    }
}
