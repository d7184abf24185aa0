using System.Diagnostics.CodeAnalysis;

namespace Mindora.Integrations.Tasks;

/// <summary>What apps use to enqueue background tasks and observe them. Tasks are scoped to the app.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a task queue; the name is the agreed public API.")]
public interface ITaskQueue
{
    /// <summary>
    /// Enqueues a task. The payload is serialized with System.Text.Json (web defaults: camelCase).
    /// With an idempotency key already used by this app, returns the existing task instead.
    /// </summary>
    /// <exception cref="MindoraInvalidNameException">The task or queue name is not allowed.</exception>
    /// <exception cref="MindoraValidationException">An option is out of range.</exception>
    /// <exception cref="MindoraPayloadTooLargeException">The serialized payload is too large.</exception>
    Task<TaskInfo> EnqueueAsync(string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Returns the task, or null when this app has no task with that id.</summary>
    Task<TaskInfo?> GetAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists up to <paramref name="limit"/> (1 to 1000) tasks with the status: queued and scheduled
    /// ones in the order they will run, others most recent first.
    /// </summary>
    Task<IReadOnlyList<TaskInfo>> ListAsync(MindoraTaskStatus status, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Cancels a task that has not started (queued or scheduled); true when it was canceled.</summary>
    Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a failed or canceled task again: it is queued at once with a fresh set of attempts
    /// (its attempt count starts again from 0; its last error stays until the next attempt ends).
    /// Tasks that ran after it and were canceled with it stay canceled. True when it was re-queued;
    /// false when this app has no such task, or it is not failed or canceled.
    /// </summary>
    Task<bool> RetryAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many tasks wait in each queue of this app (queued by priority, scheduled) and how many
    /// run, for the queues that hold any; ordered by queue name.
    /// </summary>
    Task<IReadOnlyList<TaskQueueDepth>> GetQueueDepthsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces the recurring schedule <paramref name="scheduleName"/>: each time the
    /// five-field cron expression <paramref name="cron"/> falls due (UTC), one task
    /// <paramref name="taskName"/> with <paramref name="payload"/> is enqueued, however many workers
    /// run. Workers fire due schedules while they claim; runs missed while none ran are not replayed.
    /// </summary>
    /// <exception cref="MindoraValidationException">The cron expression is malformed or never due, or options set Delay, RunAt or IdempotencyKey.</exception>
    /// <exception cref="MindoraInvalidNameException">The schedule, task or queue name is not allowed.</exception>
    Task ScheduleRecurringAsync(string scheduleName, string cron, string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a recurring schedule; true when it existed. Tasks it already enqueued stay.</summary>
    Task<bool> RemoveRecurringAsync(string scheduleName, CancellationToken cancellationToken = default);
}
