using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Tasks;

/// <summary>
/// The task queue's behaviour, run against every provider (one subclass each). <see cref="Open"/>
/// opens a new instance of the store for an app — what another process of that app would have —
/// so "another process" tests use two instances that share only the store.
/// </summary>
public abstract partial class TaskSuite : IAsyncLifetime
{
    protected static readonly string[] Default = ["default"];

    private readonly ConcurrentBag<IDisposable> _opened = [];

    /// <summary>A new app, with its own credentials where the store has them.</summary>
    protected abstract Task<string> NewAppAsync();

    /// <summary>The connection string another process of <paramref name="app"/> would be given.</summary>
    protected abstract string ConnectionString(string app);

    /// <summary>A new instance of the store, connected as <paramref name="app"/>.</summary>
    private protected abstract ITasksProvider OpenProvider(string app, MindoraTasksOptions options, TimeProvider time);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }

        return Task.CompletedTask;
    }

    private protected ITasksProvider Open(string app, MindoraTasksOptions? options = null, TimeProvider? time = null)
    {
        var provider = OpenProvider(app, options ?? new MindoraTasksOptions(), time ?? TimeProvider.System);
        _opened.Add(provider);
        return provider;
    }

    private protected async Task<ITasksProvider> OpenAsync(MindoraTasksOptions? options = null, TimeProvider? time = null) =>
        Open(await NewAppAsync(), options, time);


    [Fact]
    public async Task A_worker_killed_mid_task_loses_nothing_and_the_task_runs_again_after_its_lease_expires()
    {
        var app = await NewAppAsync();
        var tasks = Open(app);
        var task = await tasks.EnqueueAsync("documents.extract", new { DocumentId = 7 });
        using (var doomed = TaskChildProcess.Start(app, ConnectionString(app), TimeSpan.FromSeconds(2)))
        {
            Assert.Equal(task.Id, await doomed.WaitForClaimAsync(TimeSpan.FromSeconds(60)));
            doomed.KillHard();
        }

        var held = await tasks.GetAsync(task.Id);
        Assert.Equal((MindoraTaskStatus.Running, "doomed"), (held?.Status, held?.Worker));

        var again = await ClaimWithinAsync(tasks, "survivor", TimeSpan.FromSeconds(60));
        Assert.Equal(task.Id, again.Task.Id);
        Assert.Equal(2, again.Task.Attempts);
        Assert.Equal(task.PayloadJson, again.Task.PayloadJson);
        await tasks.CompleteAsync(again, "\"done\"");
        var done = await tasks.GetAsync(task.Id);
        Assert.Equal((MindoraTaskStatus.Succeeded, "survivor", "\"done\""), (done?.Status, done?.Worker, done?.ResultJson));
    }

    [Fact]
    public async Task Recurring_schedule_enqueues_one_task_per_due_time_however_many_instances_claim()
    {
        var clock = new ManualTimeProvider();
        var app = await NewAppAsync();
        var a = Open(app, time: clock);
        var b = Open(app, time: clock);
        await a.ScheduleRecurringAsync("report", "*/5 * * * *", "reports.build", new { Kind = "daily" }, new EnqueueOptions { Priority = TaskPriority.Low });
        Assert.Null(await b.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));

        var runs = new List<TaskLease>();
        for (var round = 0; round < 2; round++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            var claims = await Task.WhenAll(a.TryClaimAsync(Default, "wa", TimeSpan.FromMinutes(1)), b.TryClaimAsync(Default, "wb", TimeSpan.FromMinutes(1)));
            var claimed = claims.OfType<TaskLease>().Concat(await DrainAsync(a)).ToList();
            foreach (var lease in claimed)
            {
                await a.CompleteAsync(lease, null);
            }

            runs.AddRange(claimed);
        }

        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(("reports.build", TaskPriority.Low), (r.Task.Name, r.Task.Priority)));
        Assert.Equal("daily", JsonDocument.Parse(runs[0].Task.PayloadJson).RootElement.GetProperty("kind").GetString());
        Assert.NotEqual(runs[0].Task.Id, runs[1].Task.Id);

        Assert.True(await b.RemoveRecurringAsync("report"));
        Assert.False(await b.RemoveRecurringAsync("report"));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await DrainAsync(a));
    }

    [Fact]
    public async Task Replacing_a_recurring_schedule_changes_its_expression()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);
        await tasks.ScheduleRecurringAsync("tick", "0 0 1 1 *", "t", null);
        await tasks.ScheduleRecurringAsync("tick", "* * * * *", "t", 2);

        clock.Advance(TimeSpan.FromMinutes(1));

        var run = Assert.Single(await DrainAsync(tasks));
        Assert.Equal("2", run.Task.PayloadJson);
    }

    [Fact]
    public async Task Invalid_recurring_schedules_are_rejected()
    {
        var tasks = await OpenAsync();

        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.ScheduleRecurringAsync("s", "61 * * * *", "t", null));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.ScheduleRecurringAsync("s", "* * * * *", "t", null, new EnqueueOptions { Delay = TimeSpan.FromSeconds(1) }));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => tasks.ScheduleRecurringAsync("bad name", "* * * * *", "t", null));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => tasks.ScheduleRecurringAsync("s", "* * * * *", "bad name", null));
        Assert.False(await tasks.RemoveRecurringAsync("s"));
    }

    [Fact]
    public async Task List_by_status_honours_the_limit_and_the_order()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await tasks.EnqueueAsync("t", i)).Id);
            clock.Advance(TimeSpan.FromMilliseconds(5));
        }

        var low = await tasks.EnqueueAsync("t", "low", new EnqueueOptions { Priority = TaskPriority.Low });
        var high = await tasks.EnqueueAsync("t", "high", new EnqueueOptions { Priority = TaskPriority.High });

        Assert.Equal([high.Id, ids[0], ids[1]], (await tasks.ListAsync(MindoraTaskStatus.Queued, 3)).Select(t => t.Id));
        Assert.Equal(7, (await tasks.ListAsync(MindoraTaskStatus.Queued)).Count);
        Assert.Equal(low.Id, (await tasks.ListAsync(MindoraTaskStatus.Queued))[^1].Id);

        foreach (var lease in await DrainAsync(tasks))
        {
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await tasks.CompleteAsync(lease, null);
        }

        Assert.Equal([low.Id, ids[4]], (await tasks.ListAsync(MindoraTaskStatus.Succeeded, 2)).Select(t => t.Id));
        Assert.Empty(await tasks.ListAsync(MindoraTaskStatus.Queued));
    }

    [Fact]
    public async Task Continuation_waits_deferred_and_is_queued_when_the_task_it_runs_after_succeeds()
    {
        var tasks = await OpenAsync();
        var extract = await tasks.EnqueueAsync("extract", 1);
        var index = await tasks.EnqueueAsync("index", 2, new EnqueueOptions { After = extract.Id, Priority = TaskPriority.High });

        Assert.Equal(MindoraTaskStatus.Deferred, index.Status);
        Assert.Equal(index, await tasks.GetAsync(index.Id));
        Assert.Equal(index.Id, Assert.Single(await tasks.ListAsync(MindoraTaskStatus.Deferred)).Id);
        var first = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        Assert.Equal(extract.Id, first?.Task.Id);
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));

        await tasks.CompleteAsync(first!, null);

        Assert.Equal(MindoraTaskStatus.Queued, (await tasks.GetAsync(index.Id))?.Status);
        Assert.Empty(await tasks.ListAsync(MindoraTaskStatus.Deferred));
        Assert.Equal(index.Id, (await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))?.Task.Id);
    }

    [Fact]
    public async Task A_failed_task_cancels_the_whole_chain_that_runs_after_it()
    {
        var tasks = await OpenAsync();
        var a = await tasks.EnqueueAsync("a", null, new EnqueueOptions { MaxAttempts = 1 });
        var b = await tasks.EnqueueAsync("b", null, new EnqueueOptions { After = a.Id });
        var c = await tasks.EnqueueAsync("c", null, new EnqueueOptions { After = b.Id });
        var other = await tasks.EnqueueAsync("other", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));

        await tasks.FailAsync(lease!, "boom");

        foreach (var id in new[] { b.Id, c.Id })
        {
            var canceled = await tasks.GetAsync(id);
            Assert.Equal(MindoraTaskStatus.Canceled, canceled?.Status);
            Assert.Contains("runs after", canceled?.Error, StringComparison.Ordinal);
        }

        Assert.Equal(MindoraTaskStatus.Scheduled, (await tasks.GetAsync(other.Id))?.Status);
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Canceling_a_task_cancels_its_continuations_and_a_canceled_continuation_stays_canceled()
    {
        var tasks = await OpenAsync();
        var waiting = await tasks.EnqueueAsync("a", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        var afterWaiting = await tasks.EnqueueAsync("b", null, new EnqueueOptions { After = waiting.Id });
        var running = await tasks.EnqueueAsync("c", null);
        var afterRunning = await tasks.EnqueueAsync("d", null, new EnqueueOptions { After = running.Id });

        Assert.True(await tasks.CancelAsync(waiting.Id));
        Assert.True(await tasks.CancelAsync(afterRunning.Id));
        await tasks.CompleteAsync((await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))!, null);

        Assert.Equal(MindoraTaskStatus.Canceled, (await tasks.GetAsync(afterWaiting.Id))?.Status);
        Assert.Equal(MindoraTaskStatus.Canceled, (await tasks.GetAsync(afterRunning.Id))?.Status);
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Continuation_of_a_finished_or_unknown_task_is_queued_at_once_or_refused()
    {
        var tasks = await OpenAsync();
        var other = await OpenAsync();
        var done = await tasks.EnqueueAsync("a", null, new EnqueueOptions { MaxAttempts = 1 });
        await tasks.CompleteAsync((await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))!, null);
        var failed = await tasks.EnqueueAsync("b", null, new EnqueueOptions { MaxAttempts = 1 });
        await tasks.FailAsync((await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))!, "boom");

        Assert.Equal(MindoraTaskStatus.Queued, (await tasks.EnqueueAsync("c", null, new EnqueueOptions { After = done.Id })).Status);
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.EnqueueAsync("d", null, new EnqueueOptions { After = failed.Id }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.EnqueueAsync("e", null, new EnqueueOptions { After = "no-such-task" }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => other.EnqueueAsync("f", null, new EnqueueOptions { After = done.Id }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.EnqueueAsync("g", null, new EnqueueOptions { After = "a\nb" }));
        Assert.Single(await tasks.ListAsync(MindoraTaskStatus.Queued));
        Assert.Empty(await other.ListAsync(MindoraTaskStatus.Queued));
    }

    [Fact]
    public async Task Enqueue_claim_complete_records_the_result()
    {
        var tasks = await OpenAsync();

        var enqueued = await tasks.EnqueueAsync("documents.extract", new { DocumentId = 42, Path = "a/b.pdf" });
        var lease = await tasks.TryClaimAsync(Default, "worker-1", TimeSpan.FromMinutes(1));

        Assert.Equal(MindoraTaskStatus.Queued, enqueued.Status);
        Assert.NotNull(lease);
        Assert.Equal(enqueued.Id, lease.Task.Id);
        Assert.Equal(MindoraTaskStatus.Running, lease.Task.Status);
        Assert.Equal(1, lease.Task.Attempts);
        Assert.Equal("worker-1", lease.Task.Worker);
        Assert.Equal(42, JsonDocument.Parse(lease.Task.PayloadJson).RootElement.GetProperty("documentId").GetInt32());

        await tasks.CompleteAsync(lease, """{"pages":3}""");

        var done = await tasks.GetAsync(enqueued.Id);
        Assert.NotNull(done);
        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Equal("""{"pages":3}""", done.ResultJson);
        Assert.NotNull(done.FinishedAt);
        Assert.Null(await tasks.TryClaimAsync(Default, "worker-1", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Enqueued_snapshot_equals_what_get_returns()
    {
        var tasks = await OpenAsync();

        var enqueued = await tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "mail", Priority = TaskPriority.Low, MaxAttempts = 5, Timeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(enqueued, await tasks.GetAsync(enqueued.Id));
        Assert.Equal("null", enqueued.PayloadJson);
        Assert.Equal("mail", enqueued.Queue);
    }

    [Fact]
    public async Task Higher_priority_is_claimed_first_then_oldest_first()
    {
        var tasks = await OpenAsync();
        var low = await tasks.EnqueueAsync("t", 1, new EnqueueOptions { Priority = TaskPriority.Low });
        var default1 = await tasks.EnqueueAsync("t", 2);
        var high = await tasks.EnqueueAsync("t", 3, new EnqueueOptions { Priority = TaskPriority.High });
        var default2 = await tasks.EnqueueAsync("t", 4);

        var order = new List<string>();
        while (await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)) is { } lease)
        {
            order.Add(lease.Task.Id);
        }

        Assert.Equal([high.Id, default1.Id, default2.Id, low.Id], order);
    }

    [Fact]
    public async Task Workers_only_claim_from_their_queues()
    {
        var tasks = await OpenAsync();
        var mail = await tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "mail" });
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "reports" });

        var lease = await tasks.TryClaimAsync(["mail", "other"], "w", TimeSpan.FromMinutes(1));

        Assert.Equal(mail.Id, lease?.Task.Id);
        Assert.Null(await tasks.TryClaimAsync(["mail"], "w", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Delayed_task_is_scheduled_and_not_claimable_before_due()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);

        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromMinutes(10) });

        Assert.Equal(MindoraTaskStatus.Scheduled, task.Status);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(10), task.RunAt);
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
        Assert.Single(await tasks.ListAsync(MindoraTaskStatus.Scheduled));
        Assert.Empty(await tasks.ListAsync(MindoraTaskStatus.Queued));

        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(MindoraTaskStatus.Queued, (await tasks.GetAsync(task.Id))?.Status);
        Assert.Single(await tasks.ListAsync(MindoraTaskStatus.Queued));
        Assert.Equal(task.Id, (await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))?.Task.Id);
    }

    [Fact]
    public async Task Run_at_in_the_future_schedules_the_task()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);

        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { RunAt = clock.GetUtcNow().AddHours(1) });

        Assert.Equal(MindoraTaskStatus.Scheduled, task.Status);
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Failed_attempt_is_retried_after_backoff_then_fails_with_the_error()
    {
        var clock = new ManualTimeProvider();
        var options = new MindoraTasksOptions { BaseRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(1) };
        var tasks = await OpenAsync(options, clock);
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 2 });

        var first = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        await tasks.FailAsync(first!, "boom 1");

        var retrying = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Scheduled, retrying?.Status);
        Assert.Equal("boom 1", retrying?.Error);
        Assert.InRange(retrying!.RunAt - clock.GetUtcNow(), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));

        clock.Advance(TimeSpan.FromSeconds(10));
        var second = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        Assert.Equal(2, second?.Task.Attempts);
        await tasks.FailAsync(second!, "boom 2");

        var failed = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Failed, failed?.Status);
        Assert.Equal("boom 2", failed?.Error);
        Assert.Equal(2, failed?.Attempts);
        Assert.NotNull(failed?.FinishedAt);
        Assert.Equal(task.Id, Assert.Single(await tasks.ListAsync(MindoraTaskStatus.Failed)).Id);
    }

    [Fact]
    public async Task Idempotency_key_returns_the_first_task()
    {
        var tasks = await OpenAsync();

        var first = await tasks.EnqueueAsync("t", new { n = 1 }, new EnqueueOptions { IdempotencyKey = "upload-123" });
        var second = await tasks.EnqueueAsync("t", new { n = 2 }, new EnqueueOptions { IdempotencyKey = "upload-123" });
        var other = await tasks.EnqueueAsync("t", new { n = 3 }, new EnqueueOptions { IdempotencyKey = "upload-456" });

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.PayloadJson, second.PayloadJson);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(2, (await tasks.ListAsync(MindoraTaskStatus.Queued)).Count);
    }

    [Fact]
    public async Task Concurrent_enqueues_with_one_idempotency_key_create_one_task()
    {
        var app = await NewAppAsync();
        var a = Open(app);
        var b = Open(app);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? a : b).EnqueueAsync("t", i, new EnqueueOptions { IdempotencyKey = "same" })));

        Assert.Single(results.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task Cancel_only_affects_tasks_that_have_not_started()
    {
        var tasks = await OpenAsync();
        var waiting = await tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        var running = await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));

        Assert.True(await tasks.CancelAsync(waiting.Id));
        Assert.False(await tasks.CancelAsync(waiting.Id));
        Assert.False(await tasks.CancelAsync(running.Id));
        Assert.False(await tasks.CancelAsync("no-such-task"));
        Assert.Equal(MindoraTaskStatus.Canceled, (await tasks.GetAsync(waiting.Id))?.Status);
        Assert.Equal(running.Id, lease?.Task.Id);
        Assert.Equal(MindoraTaskStatus.Running, (await tasks.GetAsync(running.Id))?.Status);
    }

    [Fact]
    public async Task Another_app_on_the_same_store_cannot_see_cancel_or_claim_tasks()
    {
        var docs = await OpenAsync();
        var other = await OpenAsync();
        var task = await docs.EnqueueAsync("t", "secret");

        Assert.Null(await other.GetAsync(task.Id));
        Assert.False(await other.CancelAsync(task.Id));
        Assert.Empty(await other.ListAsync(MindoraTaskStatus.Queued));
        Assert.Null(await other.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
        Assert.NotNull(await docs.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Idempotency_keys_are_per_app()
    {
        var docs = await OpenAsync();
        var other = await OpenAsync();

        var a = await docs.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k" });
        var b = await other.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k" });

        Assert.NotEqual(a.Id, b.Id);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("1task")]
    [InlineData("")]
    public async Task Invalid_task_names_are_rejected(string name)
    {
        var tasks = await OpenAsync();
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => tasks.EnqueueAsync(name, null));
    }

    [Fact]
    public async Task Invalid_options_are_rejected()
    {
        var tasks = await OpenAsync();

        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "Bad:Queue" }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 0 }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromSeconds(-1) }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromSeconds(1), RunAt = DateTimeOffset.UtcNow }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "a\nb" }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.ListAsync(MindoraTaskStatus.Queued, 0));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.TryClaimAsync([], "w", TimeSpan.FromMinutes(1)));
        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.TryClaimAsync(Default, "w", TimeSpan.Zero));
    }

    [Fact]
    public async Task Oversized_payload_is_rejected()
    {
        var tasks = await OpenAsync(new MindoraTasksOptions { MaxPayloadBytes = 100 });

        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => tasks.EnqueueAsync("t", new string('x', 200)));
        Assert.Empty(await tasks.ListAsync(MindoraTaskStatus.Queued));
    }

    [Fact]
    public async Task Malformed_result_json_is_rejected_and_the_task_stays_running()
    {
        var tasks = await OpenAsync();
        await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.CompleteAsync(lease!, "{not json"));

        Assert.Equal(MindoraTaskStatus.Running, (await tasks.GetAsync(lease!.Task.Id))?.Status);
    }

    [Fact]
    public async Task Finished_tasks_are_purged_after_the_retention_and_free_their_idempotency_key()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(new MindoraTasksOptions { FinishedRetention = TimeSpan.FromDays(1) }, clock);
        var old = await tasks.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k" });
        await tasks.CompleteAsync((await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))!, null);

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));

        Assert.Null(await tasks.GetAsync(old.Id));
        Assert.NotEqual(old.Id, (await tasks.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k" })).Id);
    }


    [Fact]
    public async Task Expired_lease_is_reclaimed_and_the_old_lease_cannot_complete()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);
        var task = await tasks.EnqueueAsync("t", null);
        var stale = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));
        Assert.Null(await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30)));

        clock.Advance(TimeSpan.FromSeconds(31));
        var fresh = await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30));

        Assert.Equal(task.Id, fresh?.Task.Id);
        Assert.Equal(2, fresh?.Task.Attempts);
        Assert.Equal("worker-b", fresh?.Task.Worker);
        Assert.NotEqual(stale!.LeaseToken, fresh!.LeaseToken);
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.CompleteAsync(stale, "\"stale\""));
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.FailAsync(stale, "stale failure"));
        Assert.False(await tasks.RenewLeaseAsync(stale, TimeSpan.FromSeconds(30)));

        await tasks.CompleteAsync(fresh, "\"fresh\"");
        var done = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Succeeded, done?.Status);
        Assert.Equal("\"fresh\"", done?.ResultJson);
        Assert.Equal("worker-b", done?.Worker);
    }

    [Fact]
    public async Task Renewed_lease_is_not_reclaimed()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);
        await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await tasks.RenewLeaseAsync(lease!, TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Null(await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30)));
        await tasks.CompleteAsync(lease!, null);
    }

    [Fact]
    public async Task Lease_lost_on_the_last_attempt_fails_the_task_instead_of_running_it_again()
    {
        var clock = new ManualTimeProvider();
        var tasks = await OpenAsync(time: clock);
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 1 });
        await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30)));
        var failed = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Failed, failed?.Status);
        Assert.Contains("lease", failed?.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Completed_task_cannot_be_completed_or_renewed_again()
    {
        var tasks = await OpenAsync();
        await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        await tasks.CompleteAsync(lease!, null);

        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.CompleteAsync(lease!, null));
        Assert.False(await tasks.RenewLeaseAsync(lease!, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Released_task_is_queued_again_at_once_without_using_up_an_attempt()
    {
        var tasks = await OpenAsync();
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 1 });
        var lease = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        await tasks.ReleaseAsync(lease!, "worker shutting down");

        var released = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Queued, released?.Status);
        Assert.Equal(0, released?.Attempts);
        Assert.Equal("worker shutting down", released?.Error);
        var again = await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30));
        Assert.Equal(1, again?.Task.Attempts);
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.ReleaseAsync(lease!, "stale"));
    }

    [Fact]
    public async Task Failure_without_retry_ends_the_task_even_with_attempts_left()
    {
        var tasks = await OpenAsync();
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 5 });
        var lease = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        await tasks.FailAsync(lease!, "bad input", retry: false);

        var failed = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Failed, failed?.Status);
        Assert.Equal(1, failed?.Attempts);
        Assert.Equal("bad input", failed?.Error);
    }


    [Fact]
    public async Task Four_claimers_on_two_instances_claim_every_task_exactly_once()
    {
        var app = await NewAppAsync();
        var producer = Open(app);
        var storeA = Open(app);
        var storeB = Open(app);
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
        var tasks = await OpenAsync();
        await tasks.EnqueueAsync("t", null);

        var watch = Stopwatch.StartNew();
        await tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Wait_for_work_wakes_on_an_enqueue_in_this_process()
    {
        var tasks = await OpenAsync(new MindoraTasksOptions { PollInterval = TimeSpan.FromMinutes(1) });
        var watch = Stopwatch.StartNew();
        var waiting = tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        await tasks.EnqueueAsync("t", null);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_wakes_on_an_enqueue_by_another_instance()
    {
        var app = await NewAppAsync();
        var worker = Open(app, new MindoraTasksOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        var api = Open(app);
        var waiting = worker.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        await api.EnqueueAsync("t", null);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_gives_up_after_max_wait()
    {
        var tasks = await OpenAsync(new MindoraTasksOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        var watch = Stopwatch.StartNew();

        await tasks.WaitForWorkAsync(Default, TimeSpan.FromMilliseconds(300));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_for_work_honors_cancellation()
    {
        var tasks = await OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(30), cts.Token));
    }

    /// <summary>Claims every due task of the default queue.</summary>
    private static async Task<List<TaskLease>> DrainAsync(ITasksProvider tasks)
    {
        var leases = new List<TaskLease>();
        while (await tasks.TryClaimAsync(Default, "drain", TimeSpan.FromMinutes(1)) is { } lease)
        {
            leases.Add(lease);
        }

        return leases;
    }

    /// <summary>Waits for work and claims it, as a worker loop does, failing after <paramref name="within"/>.</summary>
    private static async Task<TaskLease> ClaimWithinAsync(ITasksProvider tasks, string worker, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            if (await tasks.TryClaimAsync(Default, worker, TimeSpan.FromMinutes(1)) is { } lease)
            {
                return lease;
            }

            await tasks.WaitForWorkAsync(Default, TimeSpan.FromSeconds(5));
        }

        throw new TimeoutException($"No task became claimable within {within}.");
    }
}
