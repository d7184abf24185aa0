namespace Mindora.Integrations.Tasks;

/// <summary>A snapshot of a task.</summary>
/// <param name="Id">The task id.</param>
/// <param name="Name">The task name a worker handler is registered under.</param>
/// <param name="Queue">The queue, as the app names it.</param>
/// <param name="Priority">The priority among due tasks.</param>
/// <param name="Status">The status at the time of the snapshot.</param>
/// <param name="Attempts">How many times the task has been claimed.</param>
/// <param name="MaxAttempts">How many attempts it may have.</param>
/// <param name="PayloadJson">The payload as JSON.</param>
/// <param name="ResultJson">The result of a succeeded task, as JSON.</param>
/// <param name="Error">The error of the latest failed attempt.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="RunAt">When it becomes (or became) due.</param>
/// <param name="StartedAt">When the latest attempt started.</param>
/// <param name="FinishedAt">When it finished (succeeded, failed or canceled).</param>
/// <param name="Worker">The worker of the latest attempt.</param>
/// <param name="Timeout">How long one attempt may take, when set.</param>
public sealed record TaskInfo(
    string Id,
    string Name,
    string Queue,
    TaskPriority Priority,
    MindoraTaskStatus Status,
    int Attempts,
    int MaxAttempts,
    string PayloadJson,
    string? ResultJson,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset RunAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Worker,
    TimeSpan? Timeout)
{
    /// <summary>
    /// The W3C traceparent of the span that enqueued the task, when one was active: the worker
    /// runs each attempt as a child of it, so one trace spans the enqueue and every attempt.
    /// </summary>
    public string? TraceParent { get; init; }
}
