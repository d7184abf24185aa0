namespace Mindora.Integrations.Redis;

/// <summary>
/// Pub/sub on its own connection (a subscribed connection cannot run other commands). Keeps the
/// wanted channels and their handlers; every new connection — the first and each one after a
/// drop — subscribes to all of them again, so subscriptions survive a server restart (messages
/// published while disconnected are lost, as in Redis itself). Handlers run on the read loop and
/// must only hand the message on.
/// </summary>
internal sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly RedisConnectionSettings _settings;
    private readonly RedisMultiplexer _connection;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);

    public RedisSubscriber(RedisConnectionSettings settings)
    {
        _settings = settings;
        _connection = new RedisMultiplexer(ConnectAsync, RedisClient.WaitForConnection(settings));
    }

    /// <summary>Subscribes <paramref name="handler"/> to <paramref name="channel"/>; returns once the server confirmed the subscription.</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<byte[]> handler, CancellationToken cancellationToken)
    {
        var pipeline = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        ChannelState state;
        Task? send = null;
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out state!))
            {
                state = new ChannelState();
                _channels.Add(channel, state);

                // Queued under the lock, so SUBSCRIBE and UNSUBSCRIBE of one channel reach the server in order.
                send = pipeline.SendAsync(RedisRequest.Create("SUBSCRIBE", channel), _settings.CommandTimeout, expectsReply: false, cancellationToken);
            }

            state.Handlers = [.. state.Handlers, handler];
        }

        var subscription = new Subscription(this, channel, handler);
        try
        {
            if (send is not null)
            {
                await send.ConfigureAwait(false);
            }

            await state.Confirmed.Task.WaitAsync(_settings.CommandTimeout, cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch (Exception e)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw e is TimeoutException
                ? new MindoraUnavailableException($"Redis at {_settings.Describe()} did not confirm the subscription within {_settings.CommandTimeout.TotalMilliseconds:0} ms.", e)
                : e;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<RedisPipeline> ConnectAsync(CancellationToken cancellationToken)
    {
        var pipeline = await RedisConnector.ConnectAsync(_settings, 0, OnPush, cancellationToken).ConfigureAwait(false);
        pipeline.SubscriberMode = true;
        lock (_gate)
        {
            if (_channels.Count > 0)
            {
                RedisArg[] channels = [.. _channels.Keys.Select(RedisArg.FromString)];
                Forget(pipeline.SendAsync(RedisRequest.Create("SUBSCRIBE", channels), _settings.CommandTimeout, expectsReply: false, CancellationToken.None));
            }
        }

        return pipeline;
    }

    private void Unsubscribe(string channel, Action<byte[]> handler)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var state))
            {
                return;
            }

            state.Handlers = [.. state.Handlers.Where(h => !ReferenceEquals(h, handler))];
            if (state.Handlers.Length > 0)
            {
                return;
            }

            _channels.Remove(channel);

            // Best effort: a lost connection drops the subscription anyway, and reconnects subscribe only to wanted channels.
            if (_connection.Current is { } current)
            {
                Forget(current.SendAsync(RedisRequest.Create("UNSUBSCRIBE", channel), _settings.CommandTimeout, expectsReply: false, CancellationToken.None));
            }
        }
    }

    /// <summary>A send whose failure needs no handling (the connection's loss is handled by reconnecting); observed so it is not reported as unobserved.</summary>
    private static void Forget(Task send) =>
        send.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void OnPush(RespValue push)
    {
        var items = push.Items;
        if (items.Count < 2)
        {
            return;
        }

        var kind = items[0].AsString();
        var channel = items[1].AsString();
        if (channel is null)
        {
            return;
        }

        ChannelState? state;
        lock (_gate)
        {
            _channels.TryGetValue(channel, out state);
        }

        if (state is null)
        {
            return;
        }

        if (kind == "subscribe")
        {
            state.Confirmed.TrySetResult();
        }
        else if (kind == "message" && items.Count >= 3 && items[2].AsBytes() is { } payload)
        {
            foreach (var handler in state.Handlers)
            {
                handler(payload);
            }
        }
    }

    private sealed class ChannelState
    {
        /// <summary>Replaced, never changed in place, so the read loop can use it without the lock.</summary>
        public volatile Action<byte[]>[] Handlers = [];

        /// <summary>Completed by the server's first confirmation.</summary>
        public TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscription(RedisSubscriber owner, string channel, Action<byte[]> handler) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(channel, handler);
            }

            return ValueTask.CompletedTask;
        }
    }
}
