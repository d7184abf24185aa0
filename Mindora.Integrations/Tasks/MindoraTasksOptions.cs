namespace Mindora.Integrations.Tasks;

/// <summary>Settings of the Tasks capability, bound from the configuration section <c>Mindora:Tasks</c>.</summary>
public sealed class MindoraTasksOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Tasks";

    /// <summary>The delay before the first retry; it doubles per attempt (with jitter). Default 2 s.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between retries. Default 5 min.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a waiting worker looks for work enqueued by other processes. Default 250 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The largest serialized payload or result, in bytes. Default 1 MiB.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long succeeded tasks (their results and idempotency keys) are kept. Default 500 s, as
    /// RQ keeps results: a caller reads a result soon or not at all.
    /// </summary>
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromSeconds(500);

    /// <summary>How long failed and canceled tasks (and their idempotency keys) are kept, for someone to look into them. Default 7 days.</summary>
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(7);
}
