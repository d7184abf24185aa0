using System.Diagnostics.CodeAnalysis;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// What a worker host uses to run tasks: claim with a lease, heartbeat, then complete or fail.
/// Delivery is at least once: a task whose lease expires (its worker died) is claimed again.
/// </summary>
public interface ITaskBroker
{
    /// <summary>
    /// Atomically claims the most urgent due task of <paramref name="queues"/> (priority, then run
    /// time) for <paramref name="workerId"/>; null when none is due.
    /// </summary>
    Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for work in <paramref name="queues"/>; returns early
    /// when work may be available (an enqueue in this process, or a poll that finds due work).
    /// </summary>
    Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease (heartbeat); false when the lease was lost to another attempt or the task ended.</summary>
    Task<bool> RenewLeaseAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Marks the attempt succeeded with an optional JSON result.</summary>
    /// <exception cref="MindoraConflictException">The lease was lost; another attempt owns the task.</exception>
    Task CompleteAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands the task back without using up an attempt (its worker is shutting down and canceled
    /// it): it is queued again at once with <paramref name="reason"/> as its latest error.
    /// </summary>
    /// <exception cref="MindoraConflictException">The lease was lost; another attempt owns the task.</exception>
    Task ReleaseAsync(TaskLease lease, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the attempt failed. While attempts remain (and <paramref name="retry"/> is true) the
    /// task is scheduled again after an exponential backoff with jitter; otherwise it is Failed
    /// with <paramref name="error"/>. Pass <c>retry: false</c> for failures retrying cannot fix.
    /// </summary>
    /// <exception cref="MindoraConflictException">The lease was lost; another attempt owns the task.</exception>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "'error' is the agreed public parameter name; Mindora targets C#.")]
    Task FailAsync(TaskLease lease, string error, bool retry = true, CancellationToken cancellationToken = default);
}
