namespace Mindora.Integrations.Tasks;

/// <summary>A checked enqueue: every part valid, the payload already JSON.</summary>
internal sealed record TaskRequest(string Name, string Queue, string? IdempotencyKey, string PayloadJson, EnqueueOptions Options, string? After)
{
    /// <summary>The traceparent of the enqueuing span, captured inside it.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The new task's snapshot as enqueued at <paramref name="now"/> (whole milliseconds).</summary>
    public TaskInfo NewTask(DateTimeOffset now, bool deferred = false)
    {
        var runAt = Options.RunAt is { } at ? TaskInputs.Truncate(at) : TaskInputs.Truncate(now + (Options.Delay ?? TimeSpan.Zero));
        return new TaskInfo(
            Guid.NewGuid().ToString("N"), Name, Queue, Options.Priority,
            deferred ? MindoraTaskStatus.Deferred : runAt > now ? MindoraTaskStatus.Scheduled : MindoraTaskStatus.Queued,
            Attempts: 0, Options.MaxAttempts, PayloadJson, ResultJson: null, Error: null,
            CreatedAt: now, RunAt: runAt, StartedAt: null, FinishedAt: null, Worker: null, Options.Timeout)
        {
            TraceParent = TraceParent,
        };
    }
}
