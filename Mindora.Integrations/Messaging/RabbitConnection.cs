using Polly;
using Polly.Retry;
using Polly.Timeout;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// One AMQP connection per provider with the client's automatic recovery (the connection, its
/// channels, declared topology and consumers come back after a broker restart), a few
/// confirm-mode channels shared by all publishers (<see cref="RabbitPublishChannels"/>), and the
/// publish pipeline: a publish that meets a broken connection waits for recovery and is sent
/// again until confirmed, or fails loudly after <see cref="MindoraMessagingOptions.PublishTimeout"/>.
/// </summary>
internal sealed class RabbitConnection : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly RabbitPublishChannels _publishChannels;
    private readonly ResiliencePipeline _publishPipeline;
    private readonly TimeSpan _publishTimeout;
    private IConnection? _connection;
    private int _disposed;

    public RabbitConnection(Uri uri, string app, MindoraMessagingOptions options)
    {
        _factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = $"mindora:{app}",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };
        _publishTimeout = options.PublishTimeout;
        if (options.PublisherChannels is < 1 or > 64)
        {
            throw new MindoraConfigurationException($"{MindoraMessagingOptions.SectionName}:PublisherChannels must be 1 to 64 (got {options.PublisherChannels}).");
        }

        _publishChannels = new RabbitPublishChannels(GetAsync, () => _connection is { IsOpen: true }, options.PublisherChannels);
        _publishPipeline = new ResiliencePipelineBuilder()
            .AddTimeout(options.PublishTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(RabbitErrors.IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(2),
            })
            .Build();
    }

    /// <summary>The connection, opened on first use (so a broker that is down surfaces on use and in the health check).</summary>
    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } open)
        {
            return open;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                var connection = await _factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _connection, connection);
            }

            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>A new channel (for a consumer, or for one-off work like peeking).</summary>
    public async Task<IChannel> CreateChannelAsync(ushort consumerConcurrency, CancellationToken cancellationToken)
    {
        var connection = await GetAsync(cancellationToken).ConfigureAwait(false);
        return await connection.CreateChannelAsync(new CreateChannelOptions(false, false, null, consumerConcurrency), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a shared confirm-mode channel, retrying across
    /// connection loss until it succeeds or the publish timeout passes. <paramref name="work"/>
    /// must be safe to repeat (a retried publish may store a message twice, never zero times).
    /// </summary>
    public async Task<T> PublishAsync<T>(string what, Func<IChannel, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await _publishPipeline.ExecuteAsync(
                async ct =>
                {
                    var shared = await _publishChannels.GetSharedAsync(ct).ConfigureAwait(false);
                    try
                    {
                        return await work(shared, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (RabbitPublishChannels.IsClosedByChannelError(e))
                    {
                        // Perhaps another publisher's error closed the shared channel: this publish
                        // runs again alone, so only its own outcome reaches its caller (stored twice
                        // at worst, never lost).
                        var own = await _publishChannels.CreatePrivateAsync(ct).ConfigureAwait(false);
                        await using (own.ConfigureAwait(false))
                        {
                            return await work(own, ct).ConfigureAwait(false);
                        }
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new MindoraUnavailableException($"RabbitMQ did not confirm {what} within {_publishTimeout.TotalSeconds:0.#} s (the broker is unreachable or refusing work); it was not sent, or at most sent without a confirm — send it again.", e);
        }
        catch (Exception e) when (RabbitErrors.Translate(e, what) is { } translated)
        {
            throw translated;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _publishChannels.DisposeAsync().ConfigureAwait(false);
        if (_connection is not null)
        {
            try
            {
                await _connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException)
            {
                // Closing a broken connection: nothing left to release on the broker.
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectLock.Dispose();
    }
}
