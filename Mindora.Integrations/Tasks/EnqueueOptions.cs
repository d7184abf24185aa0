namespace Mindora.Integrations.Tasks;

/// <summary>How and when a task runs.</summary>
public sealed record EnqueueOptions
{
    /// <summary>The queue (a logical name of the app); workers choose the queues they serve. Default <c>default</c>.</summary>
    public string Queue { get; init; } = "default";

    /// <summary>The priority among due tasks.</summary>
    public TaskPriority Priority { get; init; } = TaskPriority.Default;

    /// <summary>Run no earlier than this long from now. Not together with <see cref="RunAt"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Run no earlier than this time. Not together with <see cref="Delay"/>.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>How many times the task may run (first run plus retries), 1 to 100. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long one attempt may take; enforced by the worker. Null means the worker's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The id of a task of this app that must succeed first (a continuation): the new task waits
    /// as Deferred and is queued when that task succeeds, or canceled when it fails or is canceled.
    /// </summary>
    public string? After { get; init; }

    /// <summary>
    /// A key that makes enqueueing idempotent per app: a second enqueue with the same key returns
    /// the first task instead of adding one (for as long as that task is retained).
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
