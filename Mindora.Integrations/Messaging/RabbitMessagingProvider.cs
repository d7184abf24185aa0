using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// Messaging on RabbitMQ. Queues are durable and messages persistent; every exchange an app
/// publishes to is a durable topic exchange (so broadcast is the pattern <c>#</c>). Sends go
/// through the app's direct exchange <c>{app}.direct</c>, to which it binds each queue it uses by
/// the queue's name: no app may write to the default exchange, since that reaches every queue,
/// other apps' private ones included. A failed message is published (with confirm) to a retry
/// queue <c>{app}.retry.{queue}.{ms}ms</c> whose TTL dead-letters it back through the direct
/// exchange, or to <c>{app}.dlq.{queue}</c>, and only then acknowledged. The main queues carry no
/// arguments, so apps sharing a queue never disagree about its declaration.
/// </summary>
internal sealed class RabbitMessagingProvider : IMessagingProvider
{
    private readonly ConcurrentDictionary<string, bool> _declared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RabbitConsumer, bool> _consumers = new();

    private readonly string _app;
    private readonly string _directExchange;

    public RabbitMessagingProvider(Uri uri, string app, MindoraMessagingOptions options)
    {
        _app = app;
        _directExchange = MessagingNames.DirectExchange(app);
        Connection = new RabbitConnection(uri, app, options);
    }

    public RabbitConnection Connection { get; }

    public Task SendAsync(string queue, MessageEnvelope message, bool declare, CancellationToken cancellationToken) =>
        Connection.PublishAsync(
            $"a message for queue '{queue}'",
            async (channel, ct) =>
            {
                if (declare)
                {
                    await DeclareQueueAsync(channel, queue, null, ct).ConfigureAwait(false);
                }

                try
                {
                    await channel.BasicPublishAsync(_directExchange, queue, mandatory: true, RabbitEnvelope.Properties(message), message.Body, ct).ConfigureAwait(false);
                }
                catch (PublishException e) when (e.IsReturn)
                {
                    // Unroutable: the queue was deleted behind our back; declare it next time.
                    _declared.TryRemove(queue, out _);
                    throw;
                }

                return true;
            },
            cancellationToken);

    public Task PublishAsync(string exchange, string routingKey, MessageEnvelope message, CancellationToken cancellationToken) =>
        Connection.PublishAsync(
            $"a message on exchange '{exchange}'",
            async (channel, ct) =>
            {
                await DeclareExchangeAsync(channel, exchange, ct).ConfigureAwait(false);

                // Not mandatory: a broadcast nobody subscribes to is not an error.
                await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, RabbitEnvelope.Properties(message), message.Body, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public async Task<IAsyncDisposable> ConsumeAsync(ConsumeSpec spec, Func<IDelivery, CancellationToken, Task> onDelivery, CancellationToken cancellationToken)
    {
        var consumer = await RabbitConsumer.StartAsync(this, spec, onDelivery, cancellationToken).ConfigureAwait(false);
        _consumers[consumer] = true;
        consumer.Disposed += () => _consumers.TryRemove(consumer, out _);
        return consumer;
    }

    /// <summary>
    /// Replies go through the shared reply exchange only, never to a queue by name: a request's
    /// reply-to is the sender's word, and answering a forged one through this app's own direct
    /// exchange would write into this app's private queues.
    /// </summary>
    public Task ReplyAsync(string replyQueue, MessageEnvelope message, CancellationToken cancellationToken)
    {
        if (!MessagingNames.IsReplyQueue(replyQueue))
        {
            // The broker would refuse it (topic permission) and close the shared channel doing so.
            throw new MindoraNotFoundException($"Reply queue '{replyQueue}'");
        }

        return Connection.PublishAsync(
            "a reply",
            async (channel, ct) =>
            {
                await channel.BasicPublishAsync(MessagingNames.ReplyExchange, replyQueue, mandatory: true, RabbitEnvelope.Properties(message), message.Body, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async Task<IReplyQueue> OpenReplyQueueAsync(Func<MessageEnvelope, Task> onReply, CancellationToken cancellationToken)
    {
        var channel = await Run("a reply queue", ct => Connection.CreateChannelAsync(1, ct), cancellationToken).ConfigureAwait(false);
        try
        {
            // Exclusive: only this connection can read it. Named by us (not server-named), so
            // recovery declares and binds it again under the same name the requests carry.
            var name = MessagingNames.ReplyQueue(_app);
            await Run("a reply queue", async ct =>
            {
                await channel.QueueDeclareAsync(name, durable: false, exclusive: true, autoDelete: true, cancellationToken: ct).ConfigureAwait(false);
                await channel.QueueBindAsync(name, MessagingNames.ReplyExchange, name, cancellationToken: ct).ConfigureAwait(false);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, e) => onReply(RabbitEnvelope.Read(e.BasicProperties, e.Body.ToArray()));
                return await channel.BasicConsumeAsync(name, autoAck: true, consumer, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return new RabbitReplyQueue(channel, name);
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<IReadOnlyList<MessageEnvelope>> PeekAsync(string queue, int max, CancellationToken cancellationToken) =>
        WithChannelAsync<IReadOnlyList<MessageEnvelope>>($"reading queue '{queue}'", async (channel, ct) =>
        {
            await DeclareQueueAsync(channel, queue, null, ct).ConfigureAwait(false);
            var messages = new List<MessageEnvelope>();
            while (messages.Count < max && await channel.BasicGetAsync(queue, autoAck: false, ct).ConfigureAwait(false) is { } got)
            {
                messages.Add(RabbitEnvelope.Read(got.BasicProperties, got.Body.ToArray()));
            }

            // Closing the channel (unacknowledged) puts every message back.
            return messages;
        }, cancellationToken);

    public Task<int> MoveAsync(string from, string to, int max, Func<MessageEnvelope, MessageEnvelope> transform, CancellationToken cancellationToken) =>
        WithChannelAsync($"moving messages from '{from}' to '{to}'", async (channel, ct) =>
        {
            await DeclareQueueAsync(channel, from, null, ct).ConfigureAwait(false);
            var moved = 0;
            while (moved < max && await channel.BasicGetAsync(from, autoAck: false, ct).ConfigureAwait(false) is { } got)
            {
                // Confirmed on the target before it leaves the source: a crash duplicates, never loses.
                await SendAsync(to, transform(RabbitEnvelope.Read(got.BasicProperties, got.Body.ToArray())), declare: true, ct).ConfigureAwait(false);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct).ConfigureAwait(false);
                moved++;
            }

            return moved;
        }, cancellationToken);

    public Task<long> PurgeAsync(string queue, CancellationToken cancellationToken) =>
        WithChannelAsync($"purging queue '{queue}'", async (channel, ct) =>
        {
            await DeclareQueueAsync(channel, queue, null, ct).ConfigureAwait(false);
            return (long)await channel.QueuePurgeAsync(queue, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<long> CountAsync(string queue, CancellationToken cancellationToken) =>
        WithChannelAsync($"counting queue '{queue}'", async (channel, ct) =>
            (long)(await RabbitDeclarations.DeclareQueueAsync(channel, queue, null, ct).ConfigureAwait(false)).MessageCount,
            cancellationToken);

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        WithChannelAsync("a health probe", async (channel, ct) =>
        {
            await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var consumer in _consumers.Keys)
        {
            await consumer.DisposeAsync().ConfigureAwait(false);
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Declares a durable queue once per provider (with <paramref name="arguments"/> for retry
    /// queues; a shared one is only checked) and binds it to the app's direct exchange by its name, so sends reach it.
    /// </summary>
    public async Task DeclareQueueAsync(IChannel channel, string queue, IDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        if (!_declared.ContainsKey(queue))
        {
            await RabbitDeclarations.DeclareQueueAsync(channel, queue, arguments, cancellationToken).ConfigureAwait(false);
            await BindToDirectExchangeAsync(channel, queue, cancellationToken).ConfigureAwait(false);
            _declared[queue] = true;
        }
    }

    /// <summary>Binds a queue (declared already) to the app's direct exchange under its own name.</summary>
    public async Task BindToDirectExchangeAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        if (!_declared.ContainsKey("exchange:" + _directExchange))
        {
            await channel.ExchangeDeclareAsync(_directExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            _declared["exchange:" + _directExchange] = true;
        }

        await channel.QueueBindAsync(queue, _directExchange, queue, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dead-letter arguments of a retry queue: expired messages go back to <paramref name="queue"/>.</summary>
    public Dictionary<string, object?> RetryArguments(string queue, long delayMilliseconds) => new()
    {
        ["x-message-ttl"] = delayMilliseconds,
        ["x-dead-letter-exchange"] = _directExchange,
        ["x-dead-letter-routing-key"] = queue,
    };

    public async Task DeclareExchangeAsync(IChannel channel, string exchange, CancellationToken cancellationToken)
    {
        if (!_declared.ContainsKey("exchange:" + exchange))
        {
            await RabbitDeclarations.DeclareTopicExchangeAsync(channel, exchange, cancellationToken).ConfigureAwait(false);
            _declared["exchange:" + exchange] = true;
        }
    }

    /// <summary>Publishes a settled copy (retry or dead letter) with confirm, declaring its queue first.</summary>
    public Task SendCopyAsync(string queue, IDictionary<string, object?>? arguments, MessageEnvelope message, CancellationToken cancellationToken) =>
        Connection.PublishAsync(
            $"a message for queue '{queue}'",
            async (channel, ct) =>
            {
                await DeclareQueueAsync(channel, queue, arguments, ct).ConfigureAwait(false);
                await channel.BasicPublishAsync(_directExchange, queue, mandatory: true, RabbitEnvelope.Properties(message), message.Body, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>Runs one-off work on a fresh channel, closed afterwards, with errors translated.</summary>
    private async Task<T> WithChannelAsync<T>(string what, Func<IChannel, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var channel = await Run(what, ct => Connection.CreateChannelAsync(1, ct), cancellationToken).ConfigureAwait(false);
        try
        {
            return await Run(what, ct => work(channel, ct), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<T> Run<T>(string what, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RabbitErrors.Translate(e, what) is { } translated)
        {
            throw translated;
        }
    }
}

/// <summary>This instance's reply queue; it goes with its channel.</summary>
internal sealed class RabbitReplyQueue(IChannel channel, string name) : IReplyQueue
{
    public string Name => name;

    public async ValueTask DisposeAsync() => await channel.DisposeAsync().ConfigureAwait(false);
}
