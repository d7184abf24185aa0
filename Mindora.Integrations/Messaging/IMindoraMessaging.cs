namespace Mindora.Integrations.Messaging;

/// <summary>
/// Messaging for one app: point-to-point queues with competing consumers, publish/subscribe and
/// topic routing on exchanges, and request/response. Every message is confirmed by the store before
/// a send returns, acknowledged only after its handler succeeds, retried with a delay when the
/// handler fails, and finally moved to the queue's dead-letter queue with the error attached.
/// Queue and exchange names are the app's own (<c>{app}_…</c> or <c>{app}.…</c>) or one of the
/// shared names (<see cref="MessagingNames.Shared"/>).
/// </summary>
public interface IMindoraMessaging
{
    /// <summary>The app this instance acts for.</summary>
    string App { get; }

    /// <summary>The name of the app's own queue <c>{app}_{name}</c>, e.g. <c>AppQueue("internal_tasks")</c>.</summary>
    /// <exception cref="MindoraInvalidNameException">The name is not allowed.</exception>
    string AppQueue(string name);

    /// <summary>Sends a message to one queue (point to point); returns once the store has it. Returns the message id.</summary>
    /// <exception cref="MindoraInvalidNameException">The queue name is malformed.</exception>
    /// <exception cref="MessagingAccessDeniedException">The queue belongs to another app.</exception>
    /// <exception cref="MindoraUnavailableException">The store did not confirm the message in time.</exception>
    Task<string> SendAsync<T>(string queue, T body, MessageOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a message on a topic exchange with a routing key (<c>document.uploaded</c>); every
    /// subscription whose pattern matches gets a copy. Returns the message id once the store has it.
    /// </summary>
    /// <exception cref="MindoraInvalidNameException">The exchange name or routing key is malformed.</exception>
    /// <exception cref="MessagingAccessDeniedException">The exchange belongs to another app.</exception>
    /// <exception cref="MindoraUnavailableException">The store did not confirm the message in time.</exception>
    Task<string> PublishAsync<T>(string exchange, string routingKey, T body, MessageOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Consumes a queue: consumers of the same queue compete, each message goes to one of them.
    /// Dispose the result to stop; unfinished messages are delivered again.
    /// </summary>
    Task<IAsyncDisposable> ConsumeAsync<T>(string queue, Func<MessageContext<T>, CancellationToken, Task> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes to an exchange under a durable subscription name: the queue
    /// <c>{app}.{exchange}.{subscription}</c> is bound with <paramref name="pattern"/> (<c>#</c> for
    /// every message, <c>document.*</c> for one word, <c>document.#</c> for any words), so messages
    /// wait for the subscriber while it is down. Instances using the same subscription compete;
    /// different subscriptions each get every matching message.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync<T>(string exchange, string subscription, string pattern, Func<MessageContext<T>, CancellationToken, Task> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a request to a queue and waits for the typed reply of whoever serves it.</summary>
    /// <exception cref="MessagingTimeoutException">No reply came within <paramref name="timeout"/> (default <see cref="MindoraMessagingOptions.RequestTimeout"/>).</exception>
    /// <exception cref="MessagingRequestFailedException">The responder's handler failed; the message says why.</exception>
    Task<TResponse> RequestAsync<TRequest, TResponse>(string queue, TRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Serves requests sent to a queue; the handler's result is the reply, its exception becomes the caller's <see cref="MessagingRequestFailedException"/>.</summary>
    Task<IAsyncDisposable> RespondAsync<TRequest, TResponse>(string queue, Func<MessageContext<TRequest>, CancellationToken, Task<TResponse>> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The oldest messages in the dead-letter queue of <paramref name="queue"/>, without removing them.</summary>
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string queue, int max = 100, CancellationToken cancellationToken = default);

    /// <summary>Moves up to <paramref name="max"/> dead letters of <paramref name="queue"/> back to it (attempts start again); returns how many.</summary>
    Task<int> ReplayDeadLettersAsync(string queue, int max = 1000, CancellationToken cancellationToken = default);

    /// <summary>Deletes every dead letter of <paramref name="queue"/>; returns how many.</summary>
    Task<long> PurgeDeadLettersAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>How many messages wait in a queue (ready, not being handled).</summary>
    Task<long> CountAsync(string queue, CancellationToken cancellationToken = default);
}
