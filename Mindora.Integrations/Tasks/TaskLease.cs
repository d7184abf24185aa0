namespace Mindora.Integrations.Tasks;

/// <summary>
/// A worker's claim on one attempt of a task. Only the holder of <see cref="LeaseToken"/> can
/// complete, fail or renew that attempt; once the lease expires another worker may claim the task.
/// </summary>
/// <param name="Task">The task as claimed (status Running).</param>
/// <param name="LeaseToken">The secret of this attempt.</param>
/// <param name="ExpiresAt">When the lease ends unless renewed.</param>
public sealed record TaskLease(TaskInfo Task, string LeaseToken, DateTimeOffset ExpiresAt);
