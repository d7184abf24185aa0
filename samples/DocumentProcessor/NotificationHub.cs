using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Messaging;

namespace DocumentProcessor;

/// <summary>
/// This API instance's subscription to <c>user_notifications</c>, fanned out to the browsers
/// connected to it. The subscription is transient and named for this instance, so every instance
/// gets every event (broadcast) and none is left behind when the instance stops. A few recent events
/// are kept so a browser that reconnects with <c>Last-Event-ID</c> gets what it missed meanwhile.
/// </summary>
public sealed partial class NotificationHub(IServiceProvider services, IOptions<NotificationOptions> options, ILogger<NotificationHub> logger) : BackgroundService
{
    /// <summary>The exchange the worker publishes to.</summary>
    public const string Exchange = "user_notifications";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private readonly HashSet<NotificationConnection> _connections = [];
    private readonly Queue<Notification> _recent = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IMindoraMessaging? _messaging = services.GetService<IMindoraMessaging>();

    /// <summary>This instance's subscription name.</summary>
    public string Subscription { get; } = "sse-" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    /// <summary>False when no messaging is registered: there is nothing to stream.</summary>
    public bool Enabled => _messaging is not null;

    /// <summary>Completes once the subscription is active, so no event published afterwards is missed.</summary>
    public Task WhenSubscribedAsync(CancellationToken cancellationToken) => _subscribed.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Registers a browser. When <paramref name="lastEventId"/> is one of the recent events, the
    /// events after it are returned to send first; an unknown id is ignored (the stream starts now).
    /// </summary>
    public NotificationConnection Connect(string? lastEventId, out IReadOnlyList<Notification> missed)
    {
        var connection = new NotificationConnection(options.Value.BufferSize, Disconnect);
        lock (_lock)
        {
            // Under the lock that fan-out takes: an event is either in the replay or in the buffer, never both or neither.
            missed = lastEventId is null ? [] : _recent.SkipWhile(n => n.Id != lastEventId).Skip(1).ToList();
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>How many browsers are connected to this instance.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Hands an event to every connected browser (and to the replay buffer).</summary>
    public void Broadcast(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_lock)
        {
            if (options.Value.ReplayCount > 0)
            {
                _recent.Enqueue(notification);
                while (_recent.Count > options.Value.ReplayCount)
                {
                    _recent.Dequeue();
                }
            }

            foreach (var connection in _connections)
            {
                connection.Offer(notification);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Open streams end, so the server's shutdown does not wait for browsers.
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Complete();
            }
        }

        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_messaging is null)
        {
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            IAsyncDisposable subscription;
            try
            {
                subscription = await _messaging.SubscribeAsync<DocumentEvent>(
                    Exchange,
                    Subscription,
                    "document.#",
                    (message, _) =>
                    {
                        Broadcast(new Notification(message.MessageId, message.Type, message.Body.DocumentId, message.Body.Status, message.Timestamp));
                        return Task.CompletedTask;
                    },
                    new ConsumerOptions { Transient = true, Prefetch = 1, Concurrency = 1 }, // one at a time keeps the events in order
                    stoppingToken);
            }
            catch (MindoraException e)
            {
                // The broker is down at start: streams wait (and answer 503 after their timeout) until it is back.
                NotSubscribed(logger, delay, e.Message);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                continue;
            }

            _subscribed.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }

            await subscription.DisposeAsync();
            return;
        }
    }

    private void Disconnect(NotificationConnection connection)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Notifications are not subscribed yet; trying again in {Delay}: {Reason}")]
    private static partial void NotSubscribed(ILogger logger, TimeSpan delay, string reason);
}
