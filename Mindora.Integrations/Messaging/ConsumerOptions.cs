namespace Mindora.Integrations.Messaging;

/// <summary>Per-consumer settings; unset ones come from <see cref="MindoraMessagingOptions"/>.</summary>
public sealed class ConsumerOptions
{
    /// <summary>How many unacknowledged messages the consumer holds at most (prefetch).</summary>
    public int? Prefetch { get; init; }

    /// <summary>How many handlers run at once in this consumer.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Deliveries before a failing message goes to the dead-letter queue (1 = no retry).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The delay before the first retry; it doubles each time up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan? MaxRetryDelay { get; init; }
}
