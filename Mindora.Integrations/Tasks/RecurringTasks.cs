using System.Text.Json;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Recurring schedules over any provider's <see cref="IRecurringStore"/>. Claims fire due
/// schedules (at most once a second per instance): each due run is enqueued with an idempotency
/// key naming the schedule and its due time, so processes that fire it together create one task;
/// then the schedule moves to its next due time after now — runs missed while no worker ran are
/// not replayed one by one, one run stands for them.
/// </summary>
internal sealed class RecurringTasks(IRecurringStore store, ITaskQueue queue, TaskInputs inputs, TimeProvider time)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset Never = DateTimeOffset.MaxValue.AddYears(-1);

    private long _nextCheckMs;

    public async Task ScheduleAsync(string scheduleName, string cron, string taskName, object? payload, EnqueueOptions? options, CancellationToken cancellationToken)
    {
        var name = MindoraNames.ValidateLogicalName(scheduleName, "recurring schedule", nameof(scheduleName));
        var schedule = CronSchedule.Parse(cron, nameof(cron));
        if (options is { Delay: not null } or { RunAt: not null } or { IdempotencyKey: not null } or { After: not null })
        {
            throw new MindoraValidationException(nameof(options), "A recurring schedule sets each run's time and idempotency key itself; leave Delay, RunAt, IdempotencyKey and After unset.");
        }

        var request = inputs.Request(taskName, payload, options);
        var definition = new RecurringDefinition(
            schedule.Expression, request.Name, request.PayloadJson, request.Queue, request.Options.Priority, request.Options.MaxAttempts,
            request.Options.Timeout is { } timeout ? (long)timeout.TotalMilliseconds : null);
        var next = schedule.NextAfter(time.GetUtcNow()) ?? Never;
        await store.UpsertScheduleAsync(name, definition.ToJson(), next.ToUnixTimeMilliseconds(), cancellationToken);
    }

    public Task<bool> RemoveAsync(string scheduleName, CancellationToken cancellationToken) =>
        store.RemoveScheduleAsync(MindoraNames.ValidateLogicalName(scheduleName, "recurring schedule", nameof(scheduleName)), cancellationToken);

    /// <summary>Enqueues the runs that are due; cheap when called often (it looks at most once a second).</summary>
    public async Task FireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = Interlocked.Read(ref _nextCheckMs);
        if (nowMs < due || Interlocked.CompareExchange(ref _nextCheckMs, nowMs + (long)CheckEvery.TotalMilliseconds, due) != due)
        {
            return;
        }

        foreach (var (name, json, dueMs) in await store.DueSchedulesAsync(nowMs, cancellationToken))
        {
            var definition = RecurringDefinition.FromJson(json);
            using (var payload = JsonDocument.Parse(definition.PayloadJson))
            {
                await queue.EnqueueAsync(definition.Task, payload.RootElement, definition.RunOptions(name, dueMs), cancellationToken);
            }

            var next = CronSchedule.Parse(definition.Cron).NextAfter(now) ?? Never;
            await store.AdvanceScheduleAsync(name, dueMs, next.ToUnixTimeMilliseconds(), cancellationToken);
        }
    }
}
