namespace Mindora.Integrations.Tasks;

/// <summary>What the tasks admin endpoint returns: queue depths and tasks by status, most relevant first.</summary>
/// <param name="Queues">Depth of each queue holding tasks.</param>
/// <param name="Running">Tasks running now.</param>
/// <param name="Queued">Due tasks, in the order they will run.</param>
/// <param name="Failed">Failed tasks, most recent first.</param>
/// <param name="Succeeded">Succeeded tasks, most recent first.</param>
/// <param name="Canceled">Canceled tasks, most recent first.</param>
public sealed record TasksOverview(
    IReadOnlyList<TaskQueueDepth> Queues,
    IReadOnlyList<TaskSummary> Running,
    IReadOnlyList<TaskSummary> Queued,
    IReadOnlyList<TaskSummary> Failed,
    IReadOnlyList<TaskSummary> Succeeded,
    IReadOnlyList<TaskSummary> Canceled);

/// <summary>A task without its payload and result (they may hold user data the dashboard has no need of).</summary>
/// <param name="Id">The task id.</param>
/// <param name="Name">The task name.</param>
/// <param name="Queue">The queue.</param>
/// <param name="Priority">high, default or low.</param>
/// <param name="Status">The status, lowercase.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="MaxAttempts">Attempts allowed.</param>
/// <param name="Error">The latest error.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="StartedAt">When its latest attempt started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="Worker">The worker of its latest attempt.</param>
public sealed record TaskSummary(
    string Id,
    string Name,
    string Queue,
    string Priority,
    string Status,
    int Attempts,
    int MaxAttempts,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Worker)
{
    internal static TaskSummary From(TaskInfo t) => new(
        t.Id, t.Name, t.Queue, t.Priority.ToString().ToLowerInvariant(), t.Status.ToString().ToLowerInvariant(),
        t.Attempts, t.MaxAttempts, t.Error, t.CreatedAt, t.StartedAt, t.FinishedAt, t.Worker);
}
