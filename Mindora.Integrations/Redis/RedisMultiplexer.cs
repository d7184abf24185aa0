namespace Mindora.Integrations.Redis;

/// <summary>
/// One logical connection that every caller shares, kept open: opened on first use, and when
/// it drops, reopened in the background with exponential backoff (100 ms doubling to 5 s, with
/// jitter) until it succeeds or the client is disposed. Callers that arrive while it is down
/// wait for the next attempt, bounded by the connect timeout, and get that attempt's error if it fails.
/// </summary>
internal sealed class RedisMultiplexer : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly Func<CancellationToken, Task<RedisPipeline>> _connect;
    private readonly TimeSpan _waitForConnection;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private RedisPipeline? _current;
    private TaskCompletionSource<RedisPipeline> _nextAttempt = NewAttempt();
    private Task? _reconnecting;

    /// <param name="connect">Opens and prepares one connection (handshake, and for pub/sub the re-subscriptions).</param>
    /// <param name="waitForConnection">How long a caller waits for a connection attempt.</param>
    public RedisMultiplexer(Func<CancellationToken, Task<RedisPipeline>> connect, TimeSpan waitForConnection)
    {
        _connect = connect;
        _waitForConnection = waitForConnection;
    }

    /// <summary>The open connection, or null while there is none.</summary>
    public RedisPipeline? Current => Volatile.Read(ref _current) is { IsAlive: true } current ? current : null;

    /// <summary>The open connection; waits for one while reconnecting.</summary>
    public ValueTask<RedisPipeline> GetAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _current) is { IsAlive: true } current
            ? ValueTask.FromResult(current)
            : new ValueTask<RedisPipeline>(WaitForConnectionAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        Task? reconnecting;
        RedisPipeline? current;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            reconnecting = _reconnecting;
            current = _current;
            _current = null;
            _nextAttempt.TrySetException(new ObjectDisposedException(nameof(RedisMultiplexer), "The Redis client was disposed."));
        }

        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        if (reconnecting is not null)
        {
            // The loop ends quietly once disposal is requested.
            await reconnecting.ConfigureAwait(false);
        }

        _disposed.Dispose();
    }

    private async Task<RedisPipeline> WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        Task<RedisPipeline> attempt;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_current is { IsAlive: true } current)
            {
                return current;
            }

            EnsureReconnecting();
            attempt = _nextAttempt.Task;
        }

        try
        {
            return await attempt.WaitAsync(_waitForConnection, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new MindoraUnavailableException($"No connection to Redis within {_waitForConnection.TotalMilliseconds:0} ms; reconnecting in the background.", e);
        }
    }

    // Caller holds _gate.
    private void EnsureReconnecting()
    {
        if (_reconnecting is null && !_disposed.IsCancellationRequested)
        {
            _reconnecting = Task.Run(ReconnectLoopAsync);
        }
    }

    private async Task ReconnectLoopAsync()
    {
        var token = _disposed.Token;
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                var pipeline = await _connect(token).ConfigureAwait(false);
                TaskCompletionSource<RedisPipeline> attempt;
                lock (_gate)
                {
                    if (token.IsCancellationRequested)
                    {
                        _ = pipeline.DisposeAsync().AsTask();
                        return;
                    }

                    _current = pipeline;
                    _reconnecting = null;
                    attempt = _nextAttempt;
                    _nextAttempt = NewAttempt();
                }

                pipeline.OnFailed(OnPipelineFailed);
                attempt.TrySetResult(pipeline);
                return;
            }
            catch (Exception e)
            {
                if (token.IsCancellationRequested)
                {
                    return; // disposed: DisposeAsync has failed the waiting callers
                }

                // The callers waiting for this attempt get its error; later callers wait for the next one.
                TaskCompletionSource<RedisPipeline> failed;
                lock (_gate)
                {
                    failed = _nextAttempt;
                    _nextAttempt = NewAttempt();
                }

                failed.TrySetException(e is MindoraUnavailableException ? e : new MindoraUnavailableException($"Cannot connect to Redis: {e.Message}", e));
            }

            try
            {
                await Task.Delay(Jitter(delay), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
        }
    }

    private void OnPipelineFailed(RedisPipeline pipeline, Exception reason)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, pipeline))
            {
                return;
            }

            _current = null;
            EnsureReconnecting();
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    private static TaskCompletionSource<RedisPipeline> NewAttempt()
    {
        var attempt = new TaskCompletionSource<RedisPipeline>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Nobody may be waiting for an attempt that fails; observe it so it is not reported as unobserved.
        _ = attempt.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return attempt;
    }
}
