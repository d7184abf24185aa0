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

    /// <summary>
    /// For <see cref="IMindoraMessaging.SubscribeAsync{T}"/>: a per-instance subscription that
    /// lives only while its subscriber runs. Give each instance its own subscription name and every
    /// instance gets every message (broadcast, not competing consumers). Its queue is removed when
    /// the subscriber stops (RabbitMQ: an exclusive auto-delete queue; embedded: the binding expires
    /// unless renewed, so a process that dies leaves nothing behind); messages published while it
    /// does not run are not kept for it. A message whose handler fails is dropped, not retried or
    /// dead-lettered (counted with the outcome <c>dropped</c>): no queue outlives the instance.
    /// </summary>
    public bool Transient { get; init; }
}
