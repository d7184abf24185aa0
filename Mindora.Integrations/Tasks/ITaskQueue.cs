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
}
