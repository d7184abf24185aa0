using System.Collections.Concurrent;

namespace Mindora.Integrations.Redis;

/// <summary>
/// Mindora's small Redis client (no .NET Redis client restores from the project's feed). Per
/// database one shared, pipelined connection (<see cref="RedisMultiplexer"/>) serves every
/// ordinary command; blocking commands take a dedicated connection from a small pool; pub/sub
/// has its own connection (<see cref="RedisSubscriber"/>). Errors are typed: a server error
/// reply is <see cref="RedisServerException"/>; a lost connection, a refused handshake or a
/// timeout is <see cref="MindoraUnavailableException"/>; cancellation is <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class RedisClient : IAsyncDisposable
{
    private const int MaxIdleBlockingConnections = 4;

    private readonly ConcurrentDictionary<int, RedisMultiplexer> _databases = new();
    private readonly ConcurrentDictionary<int, ConcurrentBag<RedisPipeline>> _idleBlocking = new();
    private readonly Lazy<RedisSubscriber> _subscriber;
    private readonly RedisTelemetry _telemetry;
    private int _disposed;

    public RedisClient(RedisConnectionSettings settings)
    {
        Settings = settings;
        _telemetry = new RedisTelemetry(settings);
        _subscriber = new Lazy<RedisSubscriber>(() => new RedisSubscriber(settings));
    }

    public RedisConnectionSettings Settings { get; }

    /// <summary>Runs a command on the connection string's default database.</summary>
    public Task<RespValue> ExecuteAsync(RedisRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(Settings.DefaultDatabase, request, cancellationToken);

    /// <summary>Runs a command on <paramref name="database"/>'s shared, pipelined connection.</summary>
    public async Task<RespValue> ExecuteAsync(int database, RedisRequest request, CancellationToken cancellationToken)
    {
        using var activity = _telemetry.Start(request.Name, database);
        try
        {
            var pipeline = await Connection(database).GetAsync(cancellationToken).ConfigureAwait(false);
            return await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            RedisTelemetry.Failed(activity, e);
            throw;
        }
    }

    /// <summary>
    /// Runs a blocking command (<c>BLPOP … timeout</c>) on a dedicated connection, so the shared
    /// one never waits behind it. <paramref name="blockFor"/> is the server-side wait the command
    /// asks for; the reply may take that long plus the command timeout.
    /// </summary>
    public async Task<RespValue> ExecuteBlockingAsync(int database, RedisRequest request, TimeSpan blockFor, CancellationToken cancellationToken)
    {
        using var activity = _telemetry.Start(request.Name, database);
        var pool = _idleBlocking.GetOrAdd(database, static _ => []);
        RedisPipeline? pipeline = null;
        var reusable = false;
        try
        {
            while (pool.TryTake(out var idle))
            {
                if (idle.IsAlive)
                {
                    pipeline = idle;
                    break;
                }

                await idle.DisposeAsync().ConfigureAwait(false);
            }

            pipeline ??= await RedisConnector.ConnectAsync(Settings, database, onPush: null, cancellationToken).ConfigureAwait(false);
            var reply = await pipeline.SendAsync(request, blockFor + Settings.CommandTimeout, expectsReply: true, cancellationToken).ConfigureAwait(false);
            reusable = true;
            return reply;
        }
        catch (RedisServerException e)
        {
            reusable = true;
            RedisTelemetry.Failed(activity, e);
            throw;
        }
        catch (Exception e)
        {
            // Cancelled or timed out: the server may still answer later, so this connection is not reused.
            RedisTelemetry.Failed(activity, e);
            throw;
        }
        finally
        {
            if (pipeline is not null)
            {
                if (reusable && pipeline.IsAlive && pool.Count < MaxIdleBlockingConnections && Volatile.Read(ref _disposed) == 0)
                {
                    pool.Add(pipeline);
                }
                else
                {
                    await pipeline.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="script"/> with <c>EVALSHA</c>, falling back to <c>EVAL</c> when the server answers <c>NOSCRIPT</c>.</summary>
    public async Task<RespValue> EvaluateAsync(int database, RedisScript script, RedisArg[] keys, RedisArg[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(database, ScriptRequest("EVALSHA", script.Sha1, keys, args), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Prefix == "NOSCRIPT")
        {
            // EVAL also caches the script, so the next EVALSHA finds it.
            return await ExecuteAsync(database, ScriptRequest("EVAL", script.Source, keys, args), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Subscribes to a channel on the pub/sub connection; the handler runs on its read loop and must be quick.</summary>
    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<byte[]> handler, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _subscriber.Value.SubscribeAsync(channel, handler, cancellationToken);
    }

    /// <summary>The RESP version agreed with the server on <paramref name="database"/>'s connection (2 or 3).</summary>
    public async Task<int> GetProtocolAsync(int database, CancellationToken cancellationToken) =>
        (await Connection(database).GetAsync(cancellationToken).ConfigureAwait(false)).Protocol;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _databases.Values)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pool in _idleBlocking.Values)
        {
            while (pool.TryTake(out var idle))
            {
                await idle.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (_subscriber.IsValueCreated)
        {
            await _subscriber.Value.DisposeAsync().ConfigureAwait(false);
        }

        _telemetry.Dispose();
    }

    private RedisMultiplexer Connection(int database)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_databases.TryGetValue(database, out var existing))
        {
            return existing;
        }

        var created = new RedisMultiplexer(ct => RedisConnector.ConnectAsync(Settings, database, onPush: null, ct), WaitForConnection(Settings));
        var winner = _databases.GetOrAdd(database, created);
        if (!ReferenceEquals(winner, created))
        {
            // Never connected, so nothing to wait for.
            _ = created.DisposeAsync().AsTask();
        }

        return winner;
    }

    /// <summary>A caller waits for one whole connection attempt (its connect timeout) plus a margin for the backoff before it.</summary>
    internal static TimeSpan WaitForConnection(RedisConnectionSettings settings) => settings.ConnectTimeout + TimeSpan.FromSeconds(1);

    private static RedisRequest ScriptRequest(string command, string script, RedisArg[] keys, RedisArg[] args)
    {
        var parts = new RedisArg[2 + keys.Length + args.Length];
        parts[0] = script;
        parts[1] = keys.Length;
        keys.CopyTo(parts, 2);
        args.CopyTo(parts, 2 + keys.Length);
        return RedisRequest.Create(command, parts);
    }
}
