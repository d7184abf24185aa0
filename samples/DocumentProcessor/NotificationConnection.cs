using System.Threading.Channels;

namespace DocumentProcessor;

/// <summary>
/// One browser's buffer: bounded, so a browser that reads slowly costs at most
/// <see cref="NotificationOptions.BufferSize"/> events; when full the oldest is dropped and counted,
/// and the stream tells the browser how many it missed.
/// </summary>
public sealed class NotificationConnection : IDisposable
{
    private readonly Channel<Notification> _buffer;
    private readonly Action<NotificationConnection> _onDispose;
    private long _dropped;

    internal NotificationConnection(int capacity, Action<NotificationConnection> onDispose)
    {
        _onDispose = onDispose;
        _buffer = Channel.CreateBounded<Notification>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Where the stream reads its events; completed when the hub stops.</summary>
    public ChannelReader<Notification> Reader => _buffer.Reader;

    /// <summary>Events dropped since the last call, and resets the count.</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Unregisters from the hub.</summary>
    public void Dispose()
    {
        _buffer.Writer.TryComplete();
        _onDispose(this);
    }

    /// <summary>Never waits: a full buffer drops its oldest event.</summary>
    internal void Offer(Notification notification) => _buffer.Writer.TryWrite(notification);

    internal void Complete() => _buffer.Writer.TryComplete();
}
