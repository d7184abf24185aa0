namespace Mindora.Integrations.Messaging;

/// <summary>Settings of the Messaging capability, bound from the configuration section <c>Mindora:Messaging</c>.</summary>
public sealed class MindoraMessagingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Messaging";

    /// <summary>Unacknowledged messages a consumer holds at most. Default 20.</summary>
    public int Prefetch { get; set; } = 20;

    /// <summary>Handlers a consumer runs at once. Default 1.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Deliveries before a failing message is dead-lettered. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles per attempt. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts. Default 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a send may wait for the store (across a broker restart) before it throws. A send
    /// either returns confirmed or throws; it never drops a message silently. Default 30 s.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// RabbitMQ only: how many confirm-mode channels all concurrent sends of a client share; each
    /// carries many unconfirmed publishes at once, and every send still waits for its own confirm.
    /// 1 to 64. Default 1: one channel was measured faster than two (docs/benchmarks.md).
    /// </summary>
    public int PublisherChannels { get; set; } = 1;

    /// <summary>The default timeout of <see cref="IMindoraMessaging.RequestAsync{TRequest, TResponse}"/>. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest serialized body, in bytes. Default 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Embedded only: how often an idle consumer looks for messages sent by other processes. Default 50 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Embedded only: how long a claimed message stays invisible to others; renewed while its handler runs, so only a dead process's messages come back. Default 30 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
}
