namespace Mindora.Integrations.Tasks;

/// <summary>Where a task is in its life.</summary>
public enum MindoraTaskStatus
{
    /// <summary>Due and waiting for a worker.</summary>
    Queued,

    /// <summary>Waiting until its run time (a delayed task or a retry after backoff).</summary>
    Scheduled,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Succeeded,

    /// <summary>Finished after its last attempt failed.</summary>
    Failed,

    /// <summary>Canceled before it ran (or because the task it runs after failed or was canceled).</summary>
    Canceled,

    /// <summary>Waiting for the task it runs after (<see cref="EnqueueOptions.After"/>) to succeed.</summary>
    Deferred,
}
