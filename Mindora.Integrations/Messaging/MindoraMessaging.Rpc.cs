using System.Collections.Concurrent;

namespace Mindora.Integrations.Messaging;

/// <summary>Request/response: requests carry this instance's reply queue and a correlation id.</summary>
internal sealed partial class MindoraMessaging
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<MessageEnvelope>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _replyLock = new(1, 1);
    private IReplyQueue? _replyQueue;

    public async Task<TResponse> RequestAsync<TRequest, TResponse>(string queue, TRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        var wait = timeout ?? _options.RequestTimeout;
        if (wait <= TimeSpan.Zero || wait > TimeSpan.FromHours(1))
        {
            throw new MindoraValidationException(nameof(timeout), $"A request timeout must be between 1 ms and 1 hour; got {wait}.");
        }

        var replyQueue = await EnsureReplyQueueAsync(cancellationToken).ConfigureAwait(false);
        var correlationId = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<MessageEnvelope>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = reply;
        try
        {
            // The request expires with its timeout, so a late responder never works for nobody.
            var message = CreateEnvelope(request, new MessageOptions { CorrelationId = correlationId, TimeToLive = wait }, typeof(TRequest).Name, replyQueue.Name, out var headers);
            await SendEnvelopeAsync(queue, message, headers, declare: true, cancellationToken).ConfigureAwait(false);
            MessageEnvelope answer;
            try
            {
                answer = await reply.Task.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new MessagingTimeoutException(queue, wait);
            }

            if (answer.Headers.TryGetValue(MessageEnvelope.RpcErrorHeader, out var error))
            {
                throw new MessagingRequestFailedException(queue, error);
            }

            try
            {
                return _serializer.Deserialize<TResponse>(answer.Body);
            }
            catch (PoisonMessageException e)
            {
                throw new MessagingRequestFailedException(queue, e.Message);
            }
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    public Task<IAsyncDisposable> RespondAsync<TRequest, TResponse>(string queue, Func<MessageContext<TRequest>, CancellationToken, Task<TResponse>> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default)
    {
        MessagingNames.ValidateQueue(App, queue);
        ArgumentNullException.ThrowIfNull(handler);
        var spec = CreateSpec(queue, null, null, options);

        // A failing responder answers with its error instead of retrying: the caller is waiting.
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return _telemetry.Instrumentation.RunAsync("respond", App, queue, () => _provider.ConsumeAsync(
            spec,
            (delivery, ct) => HandleAsync(delivery, policy, async (message, token) =>
            {
                if (message.ReplyTo is null || message.CorrelationId is null)
                {
                    throw new PoisonMessageException("A request without a reply queue or correlation id cannot be answered.", new InvalidOperationException());
                }

                byte[] body;
                string? error = null;
                try
                {
                    body = _serializer.Serialize(await handler(new MessageContext<TRequest>(_serializer.Deserialize<TRequest>(message.Body), delivery.Queue, message), token).ConfigureAwait(false));
                }
                catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
                {
                    body = [];
                    error = Describe(e);
                }

                return () => ReplyAsync(message, body, error, token);
            }, ct),
            cancellationToken));
    }

    private async Task ReplyAsync(MessageEnvelope request, byte[] body, string? error, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (error is not null)
        {
            headers[MessageEnvelope.RpcErrorHeader] = error;
        }

        var reply = new MessageEnvelope(Guid.NewGuid().ToString("N"), request.CorrelationId, "reply", _time.GetUtcNow(), body, headers, TimeToLive: request.TimeToLive);
        try
        {
            using var activity = _telemetry.StartPublish(App, request.ReplyTo!, reply.MessageId, headers);
            await _provider.ReplyAsync(request.ReplyTo!, reply with { Headers = headers }, cancellationToken).ConfigureAwait(false);
            _telemetry.Published(App, "(reply)"); // one series for all replies, not one per requester
        }
        catch (MindoraNotFoundException)
        {
            // The requester is gone (its reply queue with it), or the reply-to names no reply
            // queue: nobody is waiting for this answer.
        }
    }

    private async Task<IReplyQueue> EnsureReplyQueueAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _replyQueue) is { } existing)
        {
            return existing;
        }

        await _replyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _replyQueue ??= await _provider.OpenReplyQueueAsync(
                reply =>
                {
                    if (reply.CorrelationId is not null && _pending.TryGetValue(reply.CorrelationId, out var waiting))
                    {
                        waiting.TrySetResult(reply);
                    }

                    return Task.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _replyLock.Release();
        }
    }

    private async Task DisposeRpcAsync()
    {
        if (_replyQueue is not null)
        {
            await _replyQueue.DisposeAsync().ConfigureAwait(false);
        }

        _replyLock.Dispose();
    }
}
