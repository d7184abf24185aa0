using System.Globalization;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// One consumer on its own channel: prefetch by basic.qos, handlers dispatched up to the
/// consumer's concurrency, manual acks. The client's recovery re-registers it after a broker
/// restart; deliveries that were not acked before the loss are delivered again.
/// </summary>
internal sealed class RabbitConsumer : IAsyncDisposable
{
    private readonly RabbitMessagingProvider _provider;
    private readonly ConsumeSpec _spec;
    private readonly IChannel _channel;
    private readonly Func<IDelivery, CancellationToken, Task> _onDelivery;
    private readonly CancellationTokenSource _stop = new();
    private int _inFlight;
    private string? _tag;
    private int _disposed;

    private RabbitConsumer(RabbitMessagingProvider provider, ConsumeSpec spec, IChannel channel, Func<IDelivery, CancellationToken, Task> onDelivery)
    {
        _provider = provider;
        _spec = spec;
        _channel = channel;
        _onDelivery = onDelivery;
    }

    public event Action? Disposed;

    public static async Task<RabbitConsumer> StartAsync(RabbitMessagingProvider provider, ConsumeSpec spec, Func<IDelivery, CancellationToken, Task> onDelivery, CancellationToken cancellationToken)
    {
        var what = $"consuming queue '{spec.Queue}'";
        IChannel channel;
        try
        {
            channel = await provider.Connection.CreateChannelAsync((ushort)spec.Concurrency, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RabbitErrors.Translate(e, what) is { } translated)
        {
            throw translated;
        }

        var consumer = new RabbitConsumer(provider, spec, channel, onDelivery);
        try
        {
            await channel.BasicQosAsync(0, (ushort)spec.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
            if (spec.Transient)
            {
                // Exclusive and auto-delete: it goes with this consumer or its connection; recovery declares it again.
                await channel.QueueDeclareAsync(spec.Queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RabbitDeclarations.DeclareQueueAsync(channel, spec.Queue, null, cancellationToken).ConfigureAwait(false);
                await channel.QueueDeclareAsync(spec.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            // Retries dead-letter back through the app's direct exchange: the queue must be bound to it.
            await provider.BindToDirectExchangeAsync(channel, spec.Queue, cancellationToken).ConfigureAwait(false);

            if (spec.Exchange is not null)
            {
                await RabbitDeclarations.DeclareTopicExchangeAsync(channel, spec.Exchange, cancellationToken).ConfigureAwait(false);
                await channel.QueueBindAsync(spec.Queue, spec.Exchange, spec.Pattern!, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var basic = new AsyncEventingBasicConsumer(channel);
            basic.ReceivedAsync += consumer.OnReceivedAsync;
            consumer._tag = await channel.BasicConsumeAsync(spec.Queue, autoAck: false, basic, cancellationToken).ConfigureAwait(false);
            return consumer;
        }
        catch (Exception e)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            consumer._stop.Dispose();
            if (RabbitErrors.Translate(e, what) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_tag is not null && _channel.IsOpen)
            {
                await _channel.BasicCancelAsync(_tag).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The channel is gone: the broker requeues whatever it had delivered.
        }

        await _stop.CancelAsync().ConfigureAwait(false);

        // Handlers see the cancellation and leave their messages unsettled; closing the channel requeues them.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref _inFlight) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        await _channel.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        Disposed?.Invoke();
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs e)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            var delivery = new RabbitDelivery(this, e.DeliveryTag, RabbitEnvelope.Read(e.BasicProperties, e.Body.ToArray()));
            await _onDelivery(delivery, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping: closing the channel requeues it.
        }
        catch (Exception)
        {
            // Not settled (the retry or dead-letter copy was not confirmed): hand it back now rather
            // than hold it unacknowledged until the channel closes; it is delivered again.
            await TryRequeueAsync(e.DeliveryTag).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task TryRequeueAsync(ulong tag)
    {
        try
        {
            await _channel.BasicNackAsync(tag, multiple: false, requeue: true).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The channel is gone: the broker requeues it anyway.
        }
    }

    private sealed class RabbitDelivery(RabbitConsumer owner, ulong tag, MessageEnvelope message) : IDelivery
    {
        public MessageEnvelope Message => message;

        public string Queue => owner._spec.Queue;

        public async Task AckAsync(CancellationToken cancellationToken)
        {
            try
            {
                await owner._channel.BasicAckAsync(tag, multiple: false, cancellationToken).ConfigureAwait(false);
            }
            catch (AlreadyClosedException)
            {
                // The connection dropped after the handler succeeded: the message comes again (at least once).
            }
        }

        public async Task RetryAsync(MessageEnvelope retry, TimeSpan delay, CancellationToken cancellationToken)
        {
            var ms = (long)delay.TotalMilliseconds;
            var arguments = owner._provider.RetryArguments(owner._spec.Queue, ms);

            // One retry queue per delay: TTL only expires a queue's head, so mixing delays would
            // hold short ones back. The "ms" suffix keeps these apart from the retry queues of
            // versions that dead-lettered through the default exchange (other arguments).
            await owner._provider.SendCopyAsync($"{owner._spec.RetryQueue}.{ms.ToString(CultureInfo.InvariantCulture)}ms", arguments, retry, cancellationToken).ConfigureAwait(false);
            await AckAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task DeadLetterAsync(MessageEnvelope deadLetter, CancellationToken cancellationToken)
        {
            await owner._provider.SendCopyAsync(owner._spec.DeadLetterQueue, null, deadLetter with { TimeToLive = null }, cancellationToken).ConfigureAwait(false);
            await AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
