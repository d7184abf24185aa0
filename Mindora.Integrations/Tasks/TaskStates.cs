namespace Mindora.Integrations.Tasks;

/// <summary>How statuses are stored in <c>tasks.db</c>: readable words, so the file can be inspected by hand.</summary>
internal static class TaskStates
{
    public const string Queued = "queued";
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Deferred = "deferred";

    /// <summary>
    /// The status callers see. A scheduled task whose run time has come is reported as Queued:
    /// it is claimable exactly like a queued one, without a background job flipping it.
    /// </summary>
    public static MindoraTaskStatus ToStatus(string stored, long runAt, long now) => stored switch
    {
        Queued => MindoraTaskStatus.Queued,
        Scheduled => runAt <= now ? MindoraTaskStatus.Queued : MindoraTaskStatus.Scheduled,
        Running => MindoraTaskStatus.Running,
        Succeeded => MindoraTaskStatus.Succeeded,
        Failed => MindoraTaskStatus.Failed,
        Canceled => MindoraTaskStatus.Canceled,
        Deferred => MindoraTaskStatus.Deferred,
        _ => throw new MindoraIntegrityException($"The tasks store holds an unknown status '{stored}'."),
    };

    /// <summary>The stored word of a status.</summary>
    public static string ToStored(MindoraTaskStatus status) => status switch
    {
        MindoraTaskStatus.Queued => Queued,
        MindoraTaskStatus.Scheduled => Scheduled,
        MindoraTaskStatus.Running => Running,
        MindoraTaskStatus.Succeeded => Succeeded,
        MindoraTaskStatus.Failed => Failed,
        MindoraTaskStatus.Canceled => Canceled,
        MindoraTaskStatus.Deferred => Deferred,
        _ => throw new MindoraValidationException(nameof(status), $"Unknown task status {status}."),
    };
}
