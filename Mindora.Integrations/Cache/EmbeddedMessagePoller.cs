namespace Mindora.Integrations.Cache;

/// <summary>
/// Delivers the embedded store's messages to this process's subscribers. One loop per process
/// (while anyone subscribes) reads the rows after the last one it saw — at once when this process
/// published, else every poll interval for other processes' messages — and fans them out.
/// A subscription only gets messages with ids above the last id at the moment it subscribed.
/// </summary>
internal sealed class EmbeddedMessagePoller(SqliteDatabase database, TimeSpan interval, TimeProvider time) : IAsyncDisposable
{
    private const int BatchSize = 500;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Subscriber[] _subscribers = [];
    private TaskCompletionSource _wake = NewWake();
    private Task? _loop;
    private long _lastId;

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<byte[]> handler, CancellationToken cancellationToken)
    {
        var after = await LastIdAsync(cancellationToken).ConfigureAwait(false);
        var subscriber = new Subscriber(this, EmbeddedCacheRows.Key(channel), handler, after);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            if (_loop is null)
            {
                _lastId = after;
                _loop = Task.Run(LoopAsync, CancellationToken.None);
            }

            _subscribers = [.. _subscribers, subscriber];
        }

        return subscriber;
    }

    /// <summary>A message was published in this process: look now rather than at the next interval.</summary>
    public void Wake() => Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscriber))];
        }
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake).Task;
            var full = false;
            try
            {
                full = await DeliverAsync(token).ConfigureAwait(false) == BatchSize;
            }
            catch (MindoraUnavailableException)
            {
                // Locked or unreachable for now; the next round tries again.
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }

            lock (_gate)
            {
                if (_subscribers.Length == 0)
                {
                    _loop = null;
                    return;
                }
            }

            if (!full)
            {
                try
                {
                    await Task.WhenAny(wake, Task.Delay(interval, time, token)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        var after = _lastId;
        var messages = await database.ReadAsync(
            async (session, ct) =>
            {
                var rows = new List<(long Id, byte[] Channel, byte[] Payload)>();
                using var command = session.Command(EmbeddedCacheRows.MessagesAfter).With("$after", after).With("$limit", BatchSize);
                using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    rows.Add((reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2]));
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);

        var subscribers = Volatile.Read(ref _subscribers);
        foreach (var (id, channel, payload) in messages)
        {
            foreach (var subscriber in subscribers)
            {
                if (id > subscriber.After && subscriber.Channel.AsSpan().SequenceEqual(channel))
                {
                    subscriber.Handler(payload);
                }
            }

            _lastId = id;
        }

        return messages.Count;
    }

    private Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (session, ct) =>
            {
                using var command = session.Command(EmbeddedCacheRows.LastMessageId);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long id ? id : 0L;
            },
            cancellationToken);

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Subscriber(EmbeddedMessagePoller owner, byte[] channel, Action<byte[]> handler, long after) : IAsyncDisposable
    {
        public byte[] Channel => channel;

        public Action<byte[]> Handler => handler;

        public long After => after;

        public ValueTask DisposeAsync()
        {
            owner.Remove(this);
            return ValueTask.CompletedTask;
        }
    }
}
