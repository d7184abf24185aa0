namespace Mindora.Integrations.Tasks;

/// <summary>What one queue holds right now.</summary>
/// <param name="Queue">The queue, as the app names it.</param>
/// <param name="High">Due tasks of priority High.</param>
/// <param name="Default">Due tasks of priority Default.</param>
/// <param name="Low">Due tasks of priority Low.</param>
/// <param name="Scheduled">Tasks waiting for their run time (delayed, or retrying after a backoff).</param>
/// <param name="Running">Tasks claimed by a worker.</param>
public sealed record TaskQueueDepth(string Queue, int High, int Default, int Low, int Scheduled, int Running)
{
    /// <summary>All due tasks, whatever their priority.</summary>
    public int Queued => High + Default + Low;

    /// <summary>The due tasks of one priority.</summary>
    public int QueuedAt(TaskPriority priority) => priority switch
    {
        TaskPriority.High => High,
        TaskPriority.Default => Default,
        _ => Low,
    };
}
