using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Mindora.Integrations.Cache;

/// <summary>
/// Hands messages from the store's delivery loop to one subscriber's handler: queued, then
/// deserialized and handled one at a time on a task of its own, so a slow handler delays only
/// its own subscription.
/// </summary>
internal sealed class CacheSubscription<T> : IAsyncDisposable
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<T, CancellationToken, Task> _handler;
    private readonly CacheSerializer _serializer;
    private readonly Counter<long> _handlerErrors;
    private readonly KeyValuePair<string, object?> _appTag;
    private readonly Task _pump;
    private IAsyncDisposable? _source;
    private int _disposed;

    public CacheSubscription(Func<T, CancellationToken, Task> handler, CacheSerializer serializer, Counter<long> handlerErrors, string app)
    {
        _handler = handler;
        _serializer = serializer;
        _handlerErrors = handlerErrors;
        _appTag = new(MindoraInstrumentation.AppTag, app);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>What the store calls for each message; never blocks.</summary>
    public void Enqueue(byte[] message) => _queue.Writer.TryWrite(message);

    /// <summary>Attaches the store's subscription, which disposing ends.</summary>
    public void Attach(IAsyncDisposable source) => _source = source;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_source is not null)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }

        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);

        // Not awaiting the pump: DisposeAsync may be called from inside the handler.
        _ = _pump.ContinueWith(_ => _stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task PumpAsync()
    {
        var token = _stop.Token;
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    var value = _serializer.Deserialize<T>(message, "message")!;
                    await _handler(value, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    // A failing handler or a message of another shape must not end the subscription.
                    _handlerErrors.Add(1, _appTag);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
