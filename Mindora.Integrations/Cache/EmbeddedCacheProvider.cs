namespace Mindora.Integrations.Cache;

/// <summary>
/// The cache in <c>{dir}/cache.db</c>, shared by the processes of one machine with Redis's
/// semantics: expiry is checked on every read and expired rows are deleted by a cleanup that runs
/// at most once per cleanup interval (on a write); locks are rows taken with one atomic upsert and
/// released or renewed only with their token; messages are rows that every process polls for.
/// The Redis database number becomes a column, so the database split holds here too.
/// </summary>
internal sealed class EmbeddedCacheProvider : ICacheProvider
{
    private readonly SqliteDatabase _database;
    private readonly EmbeddedMessagePoller _poller;
    private readonly MindoraCacheOptions _options;
    private readonly TimeProvider _time;
    private long _nextCleanupAt;
    private int _disposed;

    public EmbeddedCacheProvider(string directory, MindoraCacheOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _database = new SqliteDatabase(directory, "cache.db", "cache", EmbeddedCacheRows.Schema, durableCommits: false);
        _poller = new EmbeddedMessagePoller(_database, options.PollInterval, time);
    }

    public Task<byte[]?> GetAsync(int database, string key, CancellationToken cancellationToken) =>
        _database.ReadAsync(
            async (session, ct) =>
            {
                using var command = session.Command(EmbeddedCacheRows.Get).With("$db", database).With("$key", EmbeddedCacheRows.Key(key)).With("$now", NowMs());
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as byte[];
            },
            cancellationToken);

    public Task SetAsync(int database, string key, byte[] value, TimeSpan? timeToLive, CancellationToken cancellationToken) =>
        WriteAsync(EmbeddedCacheRows.Set, database, key, value, timeToLive is { } ttl ? ExpiresAt(ttl) : null, cancellationToken);

    public async Task<bool> RemoveAsync(int database, string key, CancellationToken cancellationToken) =>
        await WriteAsync(EmbeddedCacheRows.Remove, database, key, null, null, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<long> RemoveByPrefixAsync(int database, string prefix, CancellationToken cancellationToken)
    {
        var from = EmbeddedCacheRows.Key(prefix);
        var removed = await _database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command(EmbeddedCacheRows.RemoveRange)
                    .With("$db", database).With("$from", from).With("$to", EmbeddedCacheRows.After(from)).With("$now", NowMs());
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await CleanupIfDueAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async Task<bool> ExpireAsync(int database, string key, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        await WriteAsync(EmbeddedCacheRows.Expire, database, key, null, ExpiresAt(timeToLive), cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> TryLockAsync(int database, string key, string token, TimeSpan expiry, CancellationToken cancellationToken) =>
        await WriteAsync(EmbeddedCacheRows.TryLock, database, key, EmbeddedCacheRows.Key(token), ExpiresAt(expiry), cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> RenewLockAsync(int database, string key, string token, TimeSpan expiry, CancellationToken cancellationToken) =>
        await WriteAsync(EmbeddedCacheRows.RenewLock, database, key, EmbeddedCacheRows.Key(token), ExpiresAt(expiry), cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> ReleaseLockAsync(int database, string key, string token, CancellationToken cancellationToken) =>
        await WriteAsync(EmbeddedCacheRows.ReleaseLock, database, key, EmbeddedCacheRows.Key(token), null, cancellationToken).ConfigureAwait(false) > 0;

    public async Task PublishAsync(string channel, byte[] message, CancellationToken cancellationToken)
    {
        await _database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command(EmbeddedCacheRows.Publish).With("$channel", EmbeddedCacheRows.Key(channel)).With("$payload", message).With("$now", NowMs());
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        _poller.Wake();
        await CleanupIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<byte[]> handler, CancellationToken cancellationToken) =>
        _poller.SubscribeAsync(channel, handler, cancellationToken);

    public Task ProbeAsync(CancellationToken cancellationToken) => _database.ProbeAsync(cancellationToken);

    /// <summary>Deletes expired entries (in batches) and messages older than the retention; returns the entries deleted.</summary>
    public Task<int> CleanupAsync(CancellationToken cancellationToken) =>
        _database.WriteAsync(
            async (session, ct) =>
            {
                using var messages = session.Command(EmbeddedCacheRows.DeleteOldMessages).With("$before", NowMs() - (long)_options.MessageRetention.TotalMilliseconds);
                await messages.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                using var entries = session.Command(EmbeddedCacheRows.DeleteExpired).With("$now", NowMs());
                return await entries.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _poller.DisposeAsync().ConfigureAwait(false);
            _database.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<int> WriteAsync(string sql, int database, string key, byte[]? value, long? expiresAt, CancellationToken cancellationToken)
    {
        var changed = await _database.WriteAsync(
            async (session, ct) =>
            {
                // Parameters a statement does not name are ignored.
                using var command = session.Command(sql)
                    .With("$db", database).With("$key", EmbeddedCacheRows.Key(key)).With("$now", NowMs()).With("$value", value).With("$expires", expiresAt);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await CleanupIfDueAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = NowMs();
        var due = Interlocked.Read(ref _nextCleanupAt);
        if (now < due || Interlocked.CompareExchange(ref _nextCleanupAt, now + (long)_options.CleanupInterval.TotalMilliseconds, due) != due)
        {
            return;
        }

        try
        {
            await CleanupAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MindoraUnavailableException)
        {
            // The caller's own write succeeded; the cleanup runs again next interval.
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long ExpiresAt(TimeSpan ttl) => NowMs() + Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds));
}
