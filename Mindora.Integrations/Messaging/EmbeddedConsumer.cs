using System.Collections.Concurrent;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// One consumer of the embedded store: claims up to prefetch rows under its own lease owner,
/// runs up to concurrency handlers, renews its leases while they run, and on stop releases what it
/// has not settled so other consumers take it at once.
/// </summary>
internal sealed class EmbeddedConsumer : IAsyncDisposable
{
    private readonly EmbeddedMessagingProvider _provider;
    private readonly ConsumeSpec _spec;
    private readonly Func<IDelivery, CancellationToken, Task> _onDelivery;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly Tasks.WorkSignal _settled = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private EmbeddedConsumer(EmbeddedMessagingProvider provider, ConsumeSpec spec, Func<IDelivery, CancellationToken, Task> onDelivery)
    {
        _provider = provider;
        _spec = spec;
        _onDelivery = onDelivery;
        _slots = new SemaphoreSlim(spec.Concurrency, spec.Concurrency);
    }

    public static EmbeddedConsumer Start(EmbeddedMessagingProvider provider, ConsumeSpec spec, Func<IDelivery, CancellationToken, Task> onDelivery)
    {
        var consumer = new EmbeddedConsumer(provider, spec, onDelivery);
        consumer._loop = Task.Run(consumer.RunAsync);
        return consumer;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        try
        {
            await _provider.ExecuteAsync(EmbeddedMessageRows.Release, _owner, null, null, CancellationToken.None).ConfigureAwait(false);
            if (_spec.Transient)
            {
                // Unbound first, so no publish adds to the queue while it is emptied.
                await _provider.ExecuteAsync(EmbeddedMessageRows.UnbindTransient, null, null, _spec.Queue, CancellationToken.None).ConfigureAwait(false);
                await _provider.ExecuteAsync(EmbeddedMessageRows.DeleteQueue, null, null, _spec.Queue, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (MindoraUnavailableException)
        {
            // The leases run out on their own.
        }

        _provider.Forget(this);
        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stop.Token;
        var time = _provider.Time;
        var renewEvery = _provider.Options.LeaseDuration / 3;
        var nextRenewal = time.GetUtcNow() + renewEvery;
        while (!stopping.IsCancellationRequested)
        {
            var wake = Task.WhenAny(_provider.Signal.Next, _settled.Next);
            var claimed = 0;
            try
            {
                if ((_spec.Transient || !_running.IsEmpty) && time.GetUtcNow() >= nextRenewal)
                {
                    await _provider.ExecuteAsync(EmbeddedMessageRows.Renew, _owner, null, null, stopping).ConfigureAwait(false);
                    if (_spec.Transient)
                    {
                        await _provider.ExecuteAsync(EmbeddedMessageRows.RenewTransient, null, null, _spec.Queue, stopping).ConfigureAwait(false);
                    }

                    nextRenewal = time.GetUtcNow() + renewEvery;
                }

                var free = _spec.Prefetch - _running.Count;
                if (free > 0)
                {
                    var rows = await _provider.ClaimAsync(_spec.Queue, _owner, free, stopping).ConfigureAwait(false);
                    claimed = rows.Count;
                    foreach (var row in rows)
                    {
                        // Registered before it may finish, so its own removal always finds it.
                        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        _running[row.Seq] = RunOneAsync(row, registered.Task, stopping);
                        registered.SetResult();
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is MindoraUnavailableException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The store is busy or unreachable: look again after the poll interval.
            }

            if (claimed == 0)
            {
                try
                {
                    await Task.WhenAny(wake, Task.Delay(_provider.Options.PollInterval, time, stopping)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunOneAsync(StoredMessage row, Task registered, CancellationToken stopping)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await _slots.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                await _onDelivery(new EmbeddedDelivery(_provider, _spec, row, _owner), stopping).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the lease is released in DisposeAsync.
        }
        catch (Exception e) when (e is MindoraUnavailableException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Settling failed: the lease runs out and the message is delivered again.
        }
        finally
        {
            _running.TryRemove(row.Seq, out _);
            _settled.Pulse();
        }
    }
}

/// <summary>A claimed row, settled by deleting or rewriting it under the consumer's lease.</summary>
internal sealed class EmbeddedDelivery(EmbeddedMessagingProvider provider, ConsumeSpec spec, StoredMessage row, string owner) : IDelivery
{
    public MessageEnvelope Message => row.Message;

    public string Queue => spec.Queue;

    public Task AckAsync(CancellationToken cancellationToken) =>
        provider.ExecuteAsync(EmbeddedMessageRows.Ack, owner, row.Seq, null, cancellationToken);

    public Task RetryAsync(MessageEnvelope retry, TimeSpan delay, CancellationToken cancellationToken) =>
        provider.RequeueAsync(row.Seq, owner, spec.Queue, retry, delay, keepExpiry: true, cancellationToken);

    public Task DeadLetterAsync(MessageEnvelope deadLetter, CancellationToken cancellationToken) =>
        provider.RequeueAsync(row.Seq, owner, spec.DeadLetterQueue, deadLetter, TimeSpan.Zero, keepExpiry: false, cancellationToken);
}
