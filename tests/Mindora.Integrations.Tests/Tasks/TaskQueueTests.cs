using System.Text.Json;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Tasks;

public sealed class TaskQueueTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly string[] Default = ["default"];

    [Fact]
    public async Task Enqueue_claim_complete_records_the_result()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());

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
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());

        var enqueued = await tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "mail", Priority = TaskPriority.Low, MaxAttempts = 5, Timeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(enqueued, await tasks.GetAsync(enqueued.Id));
        Assert.Equal("null", enqueued.PayloadJson);
        Assert.Equal("mail", enqueued.Queue);
    }

    [Fact]
    public async Task Higher_priority_is_claimed_first_then_oldest_first()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
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
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
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
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), time: clock);

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
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), time: clock);

        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { RunAt = clock.GetUtcNow().AddHours(1) });

        Assert.Equal(MindoraTaskStatus.Scheduled, task.Status);
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Failed_attempt_is_retried_after_backoff_then_fails_with_the_error()
    {
        var clock = new ManualTimeProvider();
        var options = new MindoraTasksOptions { BaseRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(1) };
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), options: options, time: clock);
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
    public void Backoff_doubles_per_attempt_with_jitter_and_stays_under_the_cap()
    {
        var baseDelay = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromMinutes(5);

        Assert.Equal(TimeSpan.FromSeconds(1), RetryBackoff.Compute(1, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryBackoff.Compute(1, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(6), RetryBackoff.Compute(3, baseDelay, max, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(5), RetryBackoff.Compute(30, baseDelay, max, 1));
    }

    [Fact]
    public async Task Idempotency_key_returns_the_first_task()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());

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
        var dir = temp.NewStoreDirectory();
        using var a = Stores.Tasks(dir);
        using var b = Stores.Tasks(dir);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? a : b).EnqueueAsync("t", i, new EnqueueOptions { IdempotencyKey = "same" })));

        Assert.Single(results.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task Cancel_only_affects_tasks_that_have_not_started()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
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
    public async Task Another_app_on_the_same_directory_cannot_see_or_claim_tasks()
    {
        var dir = temp.NewStoreDirectory();
        using var docs = Stores.Tasks(dir, "docs");
        using var other = Stores.Tasks(dir, "other");
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
        var dir = temp.NewStoreDirectory();
        using var docs = Stores.Tasks(dir, "docs");
        using var other = Stores.Tasks(dir, "other");

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
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => tasks.EnqueueAsync(name, null));
    }

    [Fact]
    public async Task Invalid_options_are_rejected()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());

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
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), options: new MindoraTasksOptions { MaxPayloadBytes = 100 });

        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => tasks.EnqueueAsync("t", new string('x', 200)));
        Assert.Empty(await tasks.ListAsync(MindoraTaskStatus.Queued));
    }

    [Fact]
    public async Task Malformed_result_json_is_rejected_and_the_task_stays_running()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<MindoraValidationException>(() => tasks.CompleteAsync(lease!, "{not json"));

        Assert.Equal(MindoraTaskStatus.Running, (await tasks.GetAsync(lease!.Task.Id))?.Status);
    }

    [Fact]
    public async Task Finished_tasks_are_purged_after_the_retention_and_free_their_idempotency_key()
    {
        var clock = new ManualTimeProvider();
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), options: new MindoraTasksOptions { FinishedRetention = TimeSpan.FromDays(1) }, time: clock);
        var old = await tasks.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k" });
        await tasks.CompleteAsync((await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))!, null);

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));

        Assert.Null(await tasks.GetAsync(old.Id));
        Assert.NotEqual(old.Id, (await tasks.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k" })).Id);
    }
}
