using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// A few long-lived confirm-mode channels shared by every concurrent publisher of a connection.
/// Each carries many unconfirmed publishes at once: the client numbers every publish and matches
/// the broker's acks (single or multiple), nacks and returns to it, so each publisher still awaits
/// its own confirm. (One publisher per channel, as before, left a channel idle for a round trip
/// per message.) A channel error closes the channel for everyone on it; see
/// <see cref="IsClosedByChannelError"/>.
/// </summary>
internal sealed class RabbitPublishChannels(Func<CancellationToken, Task<IConnection>> connect, Func<bool> connectionIsOpen, int count) : IAsyncDisposable
{
    private static readonly CreateChannelOptions ConfirmMode = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
    private readonly IChannel?[] _channels = new IChannel?[count];
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private int _next;
    private int _disposed;

    /// <summary>
    /// Whether <paramref name="e"/> says the channel was closed by a channel error (a missing
    /// exchange, a refused declare): perhaps another publisher's, so a publish that meets it must
    /// learn its own outcome on a channel of its own.
    /// </summary>
    public static bool IsClosedByChannelError(Exception e) =>
        e is OperationInterruptedException && !RabbitErrors.IsTransient(e);

    /// <summary>One of the shared channels, in turn; a channel closed by an error is replaced.</summary>
    public ValueTask<IChannel> GetSharedAsync(CancellationToken cancellationToken)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_channels.Length);
        return Volatile.Read(ref _channels[slot]) is { IsOpen: true } open
            ? ValueTask.FromResult(open)
            : new ValueTask<IChannel>(OpenAsync(slot, cancellationToken));
    }

    /// <summary>A confirm-mode channel for one publish alone; the caller disposes it.</summary>
    public async Task<IChannel> CreatePrivateAsync(CancellationToken cancellationToken)
    {
        var connection = await connect(cancellationToken).ConfigureAwait(false);
        return await connection.CreateChannelAsync(ConfirmMode, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _openLock.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var i = 0; i < _channels.Length; i++)
            {
                if (_channels[i] is { } channel)
                {
                    _channels[i] = null;
                    await channel.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _openLock.Release();
        }
    }

    private async Task<IChannel> OpenAsync(int slot, CancellationToken cancellationToken)
    {
        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var current = _channels[slot];
            if (current is { IsOpen: true })
            {
                return current;
            }

            if (current is not null)
            {
                // After connection loss the client's recovery reopens the channel: wait for it.
                // Only a channel error, with the connection up, closes it for good.
                if (!connectionIsOpen())
                {
                    throw new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, 0, "the connection is recovering"));
                }

                _channels[slot] = null;
                await current.DisposeAsync().ConfigureAwait(false);
            }

            var channel = await CreatePrivateAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _channels[slot], channel);
            return channel;
        }
        finally
        {
            _openLock.Release();
        }
    }
}
