using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// Messaging in <c>{dir}/messaging.db</c>, shared by the processes of one machine. Every commit
/// is synced (a send returns only when the row is on disk); consumers poll, and are woken at once
/// by sends of their own process. Topic exchanges are a table of bindings matched at publish.
/// </summary>
internal sealed class EmbeddedMessagingProvider : IMessagingProvider
{
    // '~' is outside every name callers may use, so no one else can consume a reply queue.
    private const string ReplyQueuePrefix = "~reply.";

    private readonly MindoraMessagingOptions _options;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IAsyncDisposable, bool> _consumers = new();
    private long _nextCleanupAt;
    private int _disposed;

    public EmbeddedMessagingProvider(string directory, MindoraMessagingOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        Database = new SqliteDatabase(directory, "messaging.db", "messaging", EmbeddedMessageRows.Schema, durableCommits: true);
    }

    public SqliteDatabase Database { get; }

    /// <summary>Pulsed on every write of this process, so its consumers do not wait for the next poll.</summary>
    public WorkSignal Signal { get; } = new();

    public MindoraMessagingOptions Options => _options;

    public TimeProvider Time => _time;

    public async Task SendAsync(string queue, MessageEnvelope message, bool declare, CancellationToken cancellationToken)
    {
        await Database.WriteAsync((session, ct) => InsertAsync(session, queue, message, ct), cancellationToken).ConfigureAwait(false);
        Signal.Pulse();
        await CleanupIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task PublishAsync(string exchange, string routingKey, MessageEnvelope message, CancellationToken cancellationToken)
    {
        await Database.WriteAsync(
            async (session, ct) =>
            {
                var queues = new SortedSet<string>(StringComparer.Ordinal);
                using (var command = session.Command(EmbeddedMessageRows.Bindings).With("$exchange", exchange).With("$now", NowMs()))
                {
                    using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        if (TopicPattern.Matches(reader.GetString(1), routingKey))
                        {
                            queues.Add(reader.GetString(0));
                        }
                    }
                }

                foreach (var queue in queues)
                {
                    await InsertAsync(session, queue, message, ct).ConfigureAwait(false);
                }

                return queues.Count;
            },
            cancellationToken).ConfigureAwait(false);
        Signal.Pulse();
        await CleanupIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IAsyncDisposable> ConsumeAsync(ConsumeSpec spec, Func<IDelivery, CancellationToken, Task> onDelivery, CancellationToken cancellationToken)
    {
        if (spec.Exchange is not null)
        {
            await Database.WriteAsync(
                async (session, ct) =>
                {
                    using var command = session.Command(spec.Transient ? EmbeddedMessageRows.BindTransient : EmbeddedMessageRows.Bind)
                        .With("$exchange", spec.Exchange).With("$queue", spec.Queue).With("$pattern", spec.Pattern)
                        .With("$until", NowMs() + (long)_options.LeaseDuration.TotalMilliseconds);
                    return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        }

        return Track(EmbeddedConsumer.Start(this, spec, onDelivery));
    }

    /// <summary>Only reply queues take replies: a forged reply-to naming another queue finds nothing.</summary>
    public Task ReplyAsync(string replyQueue, MessageEnvelope message, CancellationToken cancellationToken) =>
        replyQueue.StartsWith(ReplyQueuePrefix, StringComparison.Ordinal)
            ? SendAsync(replyQueue, message, declare: false, cancellationToken)
            : throw new MindoraNotFoundException($"Reply queue '{replyQueue}'");

    public Task<IReplyQueue> OpenReplyQueueAsync(Func<MessageEnvelope, Task> onReply, CancellationToken cancellationToken)
    {
        var name = ReplyQueuePrefix + Guid.NewGuid().ToString("N");
        var consumer = Track(EmbeddedConsumer.Start(
            this,
            new ConsumeSpec(name, null, null, 100, 4, name, name),
            async (delivery, ct) =>
            {
                await onReply(delivery.Message).ConfigureAwait(false);
                await delivery.AckAsync(ct).ConfigureAwait(false);
            }));
        return Task.FromResult<IReplyQueue>(new EmbeddedReplyQueue(this, name, consumer));
    }

    public Task<IReadOnlyList<MessageEnvelope>> PeekAsync(string queue, int max, CancellationToken cancellationToken) =>
        Database.ReadAsync<IReadOnlyList<MessageEnvelope>>(
            async (session, ct) => (await ReadReadyAsync(session, queue, max, ct).ConfigureAwait(false)).Select(m => m.Message).ToList(),
            cancellationToken);

    public async Task<int> MoveAsync(string from, string to, int max, Func<MessageEnvelope, MessageEnvelope> transform, CancellationToken cancellationToken)
    {
        var moved = await Database.WriteAsync(
            async (session, ct) =>
            {
                var rows = await ReadReadyAsync(session, from, max, ct).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    await RequeueAsync(session, row.Seq, null, to, transform(row.Message), NowMs(), keepExpiry: false, ct).ConfigureAwait(false);
                }

                return rows.Count;
            },
            cancellationToken).ConfigureAwait(false);
        Signal.Pulse();
        return moved;
    }

    public Task<long> PurgeAsync(string queue, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command(EmbeddedMessageRows.Purge).With("$queue", queue).With("$now", NowMs());
                return (long)await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);

    public Task<long> CountAsync(string queue, CancellationToken cancellationToken) =>
        Database.ReadAsync(
            async (session, ct) =>
            {
                using var command = session.Command(EmbeddedMessageRows.Count).With("$queue", queue).With("$now", NowMs());
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    public Task ProbeAsync(CancellationToken cancellationToken) => Database.ProbeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Consumers first: they release their leases through the database.
            foreach (var consumer in _consumers.Keys)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }

            Database.Dispose();
        }
    }

    /// <summary>Forgets a consumer that was stopped by its owner.</summary>
    public void Forget(IAsyncDisposable consumer) => _consumers.TryRemove(consumer, out _);

    /// <summary>Claims up to <paramref name="limit"/> ready messages of a queue for <paramref name="owner"/>.</summary>
    public Task<List<StoredMessage>> ClaimAsync(string queue, string owner, int limit, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            async (session, ct) =>
            {
                var now = NowMs();
                using var command = session.Command(EmbeddedMessageRows.Claim)
                    .With("$queue", queue).With("$now", now).With("$owner", owner).With("$until", now + (long)_options.LeaseDuration.TotalMilliseconds).With("$limit", limit);
                var rows = new List<StoredMessage>();
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    rows.Add(EmbeddedMessageRows.Read(reader));
                }

                // RETURNING has no order of its own.
                rows.Sort((a, b) => a.Seq.CompareTo(b.Seq));
                return rows;
            },
            cancellationToken);

    /// <summary>Runs one statement that names only <c>$owner</c>, <c>$seq</c>, <c>$until</c> or <c>$queue</c>.</summary>
    public Task<int> ExecuteAsync(string sql, string? owner, long? seq, string? queue, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command(sql)
                    .With("$owner", owner).With("$seq", seq).With("$queue", queue).With("$until", NowMs() + (long)_options.LeaseDuration.TotalMilliseconds);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Gives a claimed row a new envelope, queue and availability (retry, dead-letter).</summary>
    public async Task RequeueAsync(long seq, string owner, string queue, MessageEnvelope message, TimeSpan delay, bool keepExpiry, CancellationToken cancellationToken)
    {
        await Database.WriteAsync(
            (session, ct) => RequeueAsync(session, seq, owner, queue, message, NowMs() + (long)delay.TotalMilliseconds, keepExpiry, ct),
            cancellationToken).ConfigureAwait(false);
        Signal.Pulse();
    }

    private EmbeddedConsumer Track(EmbeddedConsumer consumer)
    {
        _consumers[consumer] = true;
        return consumer;
    }

    private async Task<List<StoredMessage>> ReadReadyAsync(SqliteSession session, string queue, int max, CancellationToken ct)
    {
        using var command = session.Command(EmbeddedMessageRows.Peek).With("$queue", queue).With("$now", NowMs()).With("$limit", max);
        var rows = new List<StoredMessage>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(EmbeddedMessageRows.Read(reader));
        }

        return rows;
    }

    private static async Task<int> RequeueAsync(SqliteSession session, long seq, string? owner, string queue, MessageEnvelope message, long availableAt, bool keepExpiry, CancellationToken ct)
    {
        using var command = session.Command(EmbeddedMessageRows.Requeue)
            .With("$seq", seq).With("$owner", owner).With("$queue", queue).With("$headers", EmbeddedMessageRows.Headers(message))
            .With("$attempt", message.Attempt).With("$at", availableAt)
            .With("$expires", keepExpiry && message.TimeToLive is { } ttl ? message.Timestamp.ToUnixTimeMilliseconds() + (long)ttl.TotalMilliseconds : null);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<int> InsertAsync(SqliteSession session, string queue, MessageEnvelope message, CancellationToken ct)
    {
        var now = NowMs();
        using var command = session.Command(EmbeddedMessageRows.Insert)
            .With("$queue", queue).With("$id", message.MessageId).With("$correlation", message.CorrelationId).With("$type", message.Type)
            .With("$sent", message.Timestamp.ToUnixTimeMilliseconds()).With("$headers", EmbeddedMessageRows.Headers(message)).With("$reply", message.ReplyTo)
            .With("$ttl", message.TimeToLive is { } ttl ? (long)ttl.TotalMilliseconds : null)
            .With("$expires", message.TimeToLive is { } t ? now + (long)t.TotalMilliseconds : null)
            .With("$attempt", message.Attempt).With("$body", message.Body.ToArray()).With("$now", now);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = NowMs();
        var due = Interlocked.Read(ref _nextCleanupAt);
        if (now < due || Interlocked.CompareExchange(ref _nextCleanupAt, now + 60_000, due) != due)
        {
            return;
        }

        try
        {
            await Database.WriteAsync(
                async (session, ct) =>
                {
                    using var expired = session.Command(EmbeddedMessageRows.DeleteExpired).With("$now", now);
                    using var abandoned = session.Command(EmbeddedMessageRows.DeleteAbandoned).With("$now", now);
                    return await expired.ExecuteNonQueryAsync(ct).ConfigureAwait(false) + await abandoned.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (MindoraUnavailableException)
        {
            // The send itself succeeded; expired rows are already invisible and go next time.
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>A process's reply queue; its rows go with it.</summary>
internal sealed class EmbeddedReplyQueue(EmbeddedMessagingProvider provider, string name, IAsyncDisposable consumer) : IReplyQueue
{
    public string Name => name;

    public async ValueTask DisposeAsync()
    {
        await consumer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await provider.ExecuteAsync(EmbeddedMessageRows.DeleteQueue, null, null, name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MindoraUnavailableException)
        {
            // Left-over replies expire with their requests.
        }
    }
}
