using System.Collections.Concurrent;
using System.Diagnostics;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Tasks;

public sealed class TaskConcurrencyTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly string[] Default = ["default"];

    [Fact]
    public async Task Four_claimers_on_two_stores_of_one_directory_claim_every_task_exactly_once()
    {
        var dir = temp.NewStoreDirectory();
        using var producer = Stores.Tasks(dir);
        using var storeA = Stores.Tasks(dir);
        using var storeB = Stores.Tasks(dir);
        var enqueued = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            enqueued.Add((await producer.EnqueueAsync("t", i)).Id);
        }

        var claims = new ConcurrentBag<(string TaskId, string Worker)>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claimers = new[] { (storeA, "a1"), (storeA, "a2"), (storeB, "b1"), (storeB, "b2") }.Select(c => Task.Run(async () =>
        {
            // Start together, and hold each task a moment as a handler would, so claims interleave:
            // otherwise the first claimer can drain all 200 before the others are scheduled.
            await go.Task;
            while (await c.Item1.TryClaimAsync(Default, c.Item2, TimeSpan.FromMinutes(5)) is { } lease)
            {
                claims.Add((lease.Task.Id, c.Item2));
                await Task.Delay(1);
                await c.Item1.CompleteAsync(lease, null);
            }
        })).ToList();
        go.SetResult();
        await Task.WhenAll(claimers);

        Assert.Equal(200, claims.Count);
        Assert.True(enqueued.SetEquals(claims.Select(c => c.TaskId)));
        Assert.Equal(200, (await producer.ListAsync(MindoraTaskStatus.Succeeded, 1000)).Count);
        Assert.True(claims.Select(c => c.Worker).Distinct().Count() > 1, "Only one claimer ever got work.");
    }

    [Fact]
    public async Task Wait_for_work_returns_at_once_when_work_is_due()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        await tasks.EnqueueAsync("t", null);

        var watch = Stopwatch.StartNew();
        await tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Wait_for_work_wakes_on_an_enqueue_in_this_process()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), options: new MindoraTasksOptions { PollInterval = TimeSpan.FromMinutes(1) });
        var watch = Stopwatch.StartNew();
        var waiting = tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        await tasks.EnqueueAsync("t", null);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_sees_an_enqueue_by_another_store_through_polling()
    {
        var dir = temp.NewStoreDirectory();
        using var worker = Stores.Tasks(dir, options: new MindoraTasksOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        using var api = Stores.Tasks(dir);
        var waiting = worker.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        await api.EnqueueAsync("t", null);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_gives_up_after_max_wait()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), options: new MindoraTasksOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        var watch = Stopwatch.StartNew();

        await tasks.WaitForWorkAsync(Default, TimeSpan.FromMilliseconds(300));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_honors_cancellation()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30), cts.Token));
    }
}
