namespace Mindora.Integrations.Messaging;

/// <summary>
/// The transport under <see cref="MindoraMessaging"/>: RabbitMQ or the embedded SQLite store.
/// Names reach it already validated; it declares what it needs, confirms every write, and hands
/// deliveries over with manual acknowledgement.
/// </summary>
internal interface IMessagingProvider : IMindoraHealthProbe, IAsyncDisposable
{
    /// <summary>Stores a message on a queue (declaring it unless <paramref name="declare"/> is false); returns once confirmed.</summary>
    Task SendAsync(string queue, MessageEnvelope message, bool declare, CancellationToken cancellationToken);

    /// <summary>Stores a copy of the message on every queue bound to the exchange with a matching pattern; returns once confirmed.</summary>
    Task PublishAsync(string exchange, string routingKey, MessageEnvelope message, CancellationToken cancellationToken);

    /// <summary>Starts a consumer; each delivery is handed to <paramref name="onDelivery"/>, which settles it.</summary>
    Task<IAsyncDisposable> ConsumeAsync(ConsumeSpec spec, Func<IDelivery, CancellationToken, Task> onDelivery, CancellationToken cancellationToken);

    /// <summary>Delivers a reply to a requester's reply queue (and to nothing else); returns once confirmed.</summary>
    Task ReplyAsync(string replyQueue, MessageEnvelope message, CancellationToken cancellationToken);

    /// <summary>Opens this instance's private reply queue; replies are handed to <paramref name="onReply"/>.</summary>
    Task<IReplyQueue> OpenReplyQueueAsync(Func<MessageEnvelope, Task> onReply, CancellationToken cancellationToken);

    /// <summary>The oldest messages of a queue, left in place.</summary>
    Task<IReadOnlyList<MessageEnvelope>> PeekAsync(string queue, int max, CancellationToken cancellationToken);

    /// <summary>Moves up to <paramref name="max"/> messages from one queue to another through <paramref name="transform"/>; returns how many.</summary>
    Task<int> MoveAsync(string from, string to, int max, Func<MessageEnvelope, MessageEnvelope> transform, CancellationToken cancellationToken);

    /// <summary>Deletes every ready message of a queue; returns how many.</summary>
    Task<long> PurgeAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Ready messages in a queue.</summary>
    Task<long> CountAsync(string queue, CancellationToken cancellationToken);
}

/// <summary>What to consume.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Exchange">For a subscription, the exchange the queue is bound to.</param>
/// <param name="Pattern">For a subscription, the binding pattern.</param>
/// <param name="Prefetch">Unacknowledged messages held at most.</param>
/// <param name="Concurrency">Handlers run at once.</param>
/// <param name="DeadLetterQueue">Where <see cref="IDelivery.DeadLetterAsync"/> moves messages.</param>
/// <param name="RetryQueue">The prefix of delayed-retry queues (RabbitMQ).</param>
/// <param name="Transient">The queue lives only while this consumer runs (<see cref="ConsumerOptions.Transient"/>).</param>
internal sealed record ConsumeSpec(string Queue, string? Exchange, string? Pattern, int Prefetch, int Concurrency, string DeadLetterQueue, string RetryQueue, bool Transient = false);

/// <summary>One delivered message, settled exactly once by ack, retry or dead-letter.</summary>
internal interface IDelivery
{
    /// <summary>The message (its <see cref="MessageEnvelope.Attempt"/> counts deliveries).</summary>
    MessageEnvelope Message { get; }

    /// <summary>The queue it came from.</summary>
    string Queue { get; }

    /// <summary>Done: the message is removed.</summary>
    Task AckAsync(CancellationToken cancellationToken);

    /// <summary>Failed: deliver <paramref name="retry"/> (the next attempt) again after <paramref name="delay"/>.</summary>
    Task RetryAsync(MessageEnvelope retry, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Failed for good: move <paramref name="deadLetter"/> (with the error headers) to the dead-letter queue.</summary>
    Task DeadLetterAsync(MessageEnvelope deadLetter, CancellationToken cancellationToken);
}

/// <summary>This instance's private queue for RPC replies.</summary>
internal interface IReplyQueue : IAsyncDisposable
{
    /// <summary>Its current name (a RabbitMQ server-named queue gets a new one after a reconnect).</summary>
    string Name { get; }
}
