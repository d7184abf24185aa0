namespace Mindora.Integrations.Messaging;

/// <summary>The delivery policy: ack after success, delayed retry, then the dead-letter queue.</summary>
internal sealed partial class MindoraMessaging
{
    private Task<IAsyncDisposable> StartConsumerAsync<T>(string queue, string? exchange, string? pattern, Func<MessageContext<T>, CancellationToken, Task> handler, ConsumerOptions? options, CancellationToken cancellationToken)
    {
        var policy = RetryPolicy.From(options, _options);
        var spec = CreateSpec(queue, exchange, pattern, options);
        return _telemetry.Instrumentation.RunAsync("consume", App, queue, () => _provider.ConsumeAsync(
            spec,
            (delivery, ct) => HandleAsync(
                delivery,
                policy,
                async (message, token) =>
                {
                    await handler(new MessageContext<T>(_serializer.Deserialize<T>(message.Body), delivery.Queue, message), token).ConfigureAwait(false);
                    return null;
                },
                ct,
                dropOnFailure: spec.Transient),
            cancellationToken));
    }

    private ConsumeSpec CreateSpec(string queue, string? exchange, string? pattern, ConsumerOptions? options)
    {
        var concurrency = options?.Concurrency ?? _options.Concurrency;
        var prefetch = options?.Prefetch ?? _options.Prefetch;
        if (concurrency is < 1 or > 1000 || prefetch is < 1 or > 65535)
        {
            throw new MindoraValidationException("options", $"Concurrency must be 1 to 1000 and Prefetch 1 to 65535; got {concurrency} and {prefetch}.");
        }

        if (options?.Transient == true && exchange is null)
        {
            throw new MindoraValidationException("options", "Transient applies to subscriptions (SubscribeAsync) only: a queue consumed by name outlives its consumers.");
        }

        return new ConsumeSpec(queue, exchange, pattern, Math.Max(prefetch, concurrency), concurrency, MessagingNames.DeadLetterQueue(App, queue), MessagingNames.RetryQueue(App, queue), options?.Transient == true);
    }

    /// <summary>
    /// Runs one handler and settles the delivery. <paramref name="run"/> returns a reply to send
    /// for RPC (or null). Stopping mid-handler settles nothing: the message is delivered again.
    /// A transient subscription (<paramref name="dropOnFailure"/>) acks a failed message instead:
    /// retry and dead-letter queues would outlive it.
    /// </summary>
    private async Task HandleAsync(IDelivery delivery, RetryPolicy policy, Func<MessageEnvelope, CancellationToken, Task<Func<Task>?>> run, CancellationToken stopping, bool dropOnFailure = false)
    {
        var message = delivery.Message;
        using var activity = _telemetry.StartProcess(App, delivery.Queue, message);
        string outcome;
        try
        {
            var afterwards = await run(message, stopping).ConfigureAwait(false);
            if (afterwards is not null)
            {
                await afterwards().ConfigureAwait(false);
            }

            await delivery.AckAsync(stopping).ConfigureAwait(false);
            outcome = "acked";
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            var error = Describe(e);
            if (dropOnFailure)
            {
                await delivery.AckAsync(stopping).ConfigureAwait(false);
                outcome = "dropped";
            }
            else if (e is PoisonMessageException || message.Attempt >= policy.MaxAttempts)
            {
                await delivery.DeadLetterAsync(
                    message
                        .WithHeader(MessageEnvelope.ErrorHeader, error)
                        .WithHeader(MessageEnvelope.FailedAtHeader, _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture))
                        .WithHeader(MessageEnvelope.OriginalQueueHeader, delivery.Queue),
                    stopping).ConfigureAwait(false);
                outcome = "dead_lettered";
            }
            else
            {
                var retry = message.WithHeader(MessageEnvelope.ErrorHeader, error) with { Attempt = message.Attempt + 1 };
                await delivery.RetryAsync(retry, policy.DelayBefore(message.Attempt + 1), stopping).ConfigureAwait(false);
                outcome = "retried";
            }
        }

        activity?.SetTag(MindoraInstrumentation.OutcomeTag, outcome);
        _telemetry.Handled(App, delivery.Queue, outcome);
    }
}

/// <summary>Attempts and delays of one consumer.</summary>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan Delay, TimeSpan MaxDelay)
{
    public static RetryPolicy From(ConsumerOptions? options, MindoraMessagingOptions defaults)
    {
        var policy = new RetryPolicy(
            options?.MaxAttempts ?? defaults.MaxAttempts,
            options?.RetryDelay ?? defaults.RetryDelay,
            options?.MaxRetryDelay ?? defaults.MaxRetryDelay);
        if (policy.MaxAttempts is < 1 or > 100 || policy.Delay <= TimeSpan.Zero || policy.MaxDelay < policy.Delay || policy.MaxDelay > TimeSpan.FromDays(1))
        {
            throw new MindoraValidationException("options", $"MaxAttempts must be 1 to 100 and 0 < RetryDelay <= MaxRetryDelay <= 1 day; got {policy.MaxAttempts}, {policy.Delay} and {policy.MaxDelay}.");
        }

        return policy;
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> (2 = first retry): doubling, capped. Whole milliseconds, so delays repeat exactly.</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var ms = Delay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 2, 30));
        return TimeSpan.FromMilliseconds(Math.Ceiling(Math.Min(ms, MaxDelay.TotalMilliseconds)));
    }
}
