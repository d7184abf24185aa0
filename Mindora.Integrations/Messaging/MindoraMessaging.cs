using System.Text;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// <see cref="IMindoraMessaging"/> over a provider: validates names, builds envelopes, traces,
/// and owns the delivery policy (ack after success, delayed retries, dead-lettering) so both
/// providers behave the same.
/// </summary>
internal sealed partial class MindoraMessaging : IMindoraMessaging, IMindoraHealthProbe, IAsyncDisposable, IDisposable
{
    private const int MaxErrorLength = 2000;
    private readonly IMessagingProvider _provider;
    private readonly MindoraMessagingOptions _options;
    private readonly TimeProvider _time;
    private readonly MessageSerializer _serializer;
    private readonly MessagingTelemetry _telemetry;
    private int _disposed;

    public MindoraMessaging(IMessagingProvider provider, string app, MindoraMessagingOptions options, System.Diagnostics.Metrics.IMeterFactory? meters, TimeProvider time)
    {
        App = MindoraNames.ValidateAppName(app, nameof(app));
        _provider = provider;
        _options = options;
        _time = time;
        _serializer = new MessageSerializer(options.MaxMessageBytes);
        _telemetry = new MessagingTelemetry(meters);
    }

    public string App { get; }

    internal IMessagingProvider Provider => _provider;

    public string AppQueue(string name) => MessagingNames.AppQueue(App, name);

    public async Task<string> SendAsync<T>(string queue, T body, MessageOptions? options = null, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        var message = CreateEnvelope(body, options, options?.Type ?? typeof(T).Name, replyTo: null, out var headers);
        await SendEnvelopeAsync(queue, message, headers, declare: true, cancellationToken).ConfigureAwait(false);
        return message.MessageId;
    }

    public async Task<string> PublishAsync<T>(string exchange, string routingKey, T body, MessageOptions? options = null, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, exchange, nameof(exchange));
        MessagingNames.ValidateRoutingKey(routingKey);
        var message = CreateEnvelope(body, options, options?.Type ?? routingKey, replyTo: null, out var headers);
        using var activity = _telemetry.StartPublish(App, exchange, message.MessageId, headers);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        await _provider.PublishAsync(exchange, routingKey, message with { Headers = headers }, cancellationToken).ConfigureAwait(false);
        _telemetry.Published(App, exchange);
        return message.MessageId;
    }

    public Task<IAsyncDisposable> ConsumeAsync<T>(string queue, Func<MessageContext<T>, CancellationToken, Task> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        ArgumentNullException.ThrowIfNull(handler);
        return StartConsumerAsync(queue, null, null, handler, options, cancellationToken);
    }

    public Task<IAsyncDisposable> SubscribeAsync<T>(string exchange, string subscription, string pattern, Func<MessageContext<T>, CancellationToken, Task> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, exchange, nameof(exchange));
        MindoraNames.ValidateLogicalName(subscription, "subscription", nameof(subscription));
        MessagingNames.ValidatePattern(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        return StartConsumerAsync(MessagingNames.SubscriptionQueue(App, exchange, subscription), exchange, pattern, handler, options, cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string queue, int max = 100, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var messages = await _provider.PeekAsync(MessagingNames.DeadLetterQueue(App, queue), Math.Min(max, 10_000), cancellationToken).ConfigureAwait(false);
        return messages.Select(m => new DeadLetter(
            m.MessageId,
            m.CorrelationId,
            m.Type,
            m.Timestamp,
            m.Headers.GetValueOrDefault(MessageEnvelope.OriginalQueueHeader, queue),
            m.Attempt,
            m.Headers.GetValueOrDefault(MessageEnvelope.ErrorHeader, string.Empty),
            DateTimeOffset.TryParse(m.Headers.GetValueOrDefault(MessageEnvelope.FailedAtHeader), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var failedAt) ? failedAt : null,
            Encoding.UTF8.GetString(m.Body.Span))).ToList();
    }

    public Task<int> ReplayDeadLettersAsync(string queue, int max = 1000, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return _telemetry.Instrumentation.RunAsync("replay", App, queue, () => _provider.MoveAsync(
            MessagingNames.DeadLetterQueue(App, queue),
            queue,
            max,
            m => m.WithHeader(MessageEnvelope.ErrorHeader, null).WithHeader(MessageEnvelope.FailedAtHeader, null) with { Attempt = 1 },
            cancellationToken));
    }

    public Task<long> PurgeDeadLettersAsync(string queue, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        return _telemetry.Instrumentation.RunAsync("purge", App, queue, () => _provider.PurgeAsync(MessagingNames.DeadLetterQueue(App, queue), cancellationToken));
    }

    public Task<long> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        return _provider.CountAsync(queue, cancellationToken);
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => _provider.ProbeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await DisposeRpcAsync().ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
        _telemetry.Dispose();
    }

    /// <summary>For containers that dispose synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SendEnvelopeAsync(string queue, MessageEnvelope message, Dictionary<string, string> headers, bool declare, CancellationToken cancellationToken)
    {
        using var activity = _telemetry.StartPublish(App, queue, message.MessageId, headers);
        await _provider.SendAsync(queue, message with { Headers = headers }, declare, cancellationToken).ConfigureAwait(false);
        _telemetry.Published(App, queue);
    }

    private MessageEnvelope CreateEnvelope<T>(T body, MessageOptions? options, string type, string? replyTo, out Dictionary<string, string> headers)
    {
        headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in options?.Headers ?? new Dictionary<string, string>())
        {
            headers[MessageHeaders.ValidateName(name)] = MessageHeaders.ValidateValue(name, value);
        }

        var ttl = options?.TimeToLive;
        if (ttl is { } t && (t <= TimeSpan.Zero || t > TimeSpan.FromDays(30)))
        {
            throw new MindoraValidationException("TimeToLive", $"A message time to live must be between 1 ms and 30 days; got {t}.");
        }

        var now = _time.GetUtcNow();
        return new MessageEnvelope(
            MessageHeaders.ValidateId(options?.MessageId, "MessageId") ?? Guid.NewGuid().ToString("N"),
            MessageHeaders.ValidateId(options?.CorrelationId, "CorrelationId"),
            MessageHeaders.ValidateId(type, "Type")!,
            now,
            _serializer.Serialize(body),
            headers,
            replyTo,
            ttl);
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength] + "…";
    }
}
