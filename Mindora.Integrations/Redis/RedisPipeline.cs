using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Mindora.Integrations.Redis;

/// <summary>
/// One open connection. Callers queue encoded commands; a write loop drains the queue and sends
/// everything queued in one flush (so concurrent callers share round trips), and a read loop
/// completes the commands in the order they were written — Redis answers in order. Pushes (RESP3,
/// or pub/sub frames in subscriber mode) go to the push handler instead. Any I/O or protocol
/// error ends the connection: every command not yet answered fails with
/// <see cref="MindoraUnavailableException"/>.
/// </summary>
internal sealed class RedisPipeline : IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly Channel<PendingCommand> _outgoing = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<PendingCommand> _awaiting = new();
    private readonly Action<RespValue>? _onPush;
    private readonly long _stallTicks;
    private readonly Timer _heartbeat;
    private readonly Lock _failureGate = new();
    private Action<RedisPipeline, Exception>? _onFailed;
    private Exception? _failure;
    private long _flushStartedAt;
    private Task _loops = Task.CompletedTask;

    public RedisPipeline(Stream stream, string endpoint, TimeSpan commandTimeout, Action<RespValue>? onPush)
    {
        _stream = stream;
        Endpoint = endpoint;
        CommandTimeout = commandTimeout;
        _onPush = onPush;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _stallTicks = (long)(commandTimeout.TotalSeconds * Stopwatch.Frequency);
        var tick = TimeSpan.FromTicks(Math.Clamp(commandTimeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _heartbeat = new Timer(static s => ((RedisPipeline)s!).Heartbeat(), this, tick, tick);
    }

    public string Endpoint { get; }

    public TimeSpan CommandTimeout { get; }

    /// <summary>2 or 3, as agreed in the handshake.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>In RESP2 a subscribed connection sends pub/sub frames as plain arrays; treat them as pushes.</summary>
    public bool SubscriberMode { get; set; }

    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>Starts both loops.</summary>
    public void Start() => _loops = Task.WhenAll(Task.Run(ReadLoopAsync), Task.Run(WriteLoopAsync));

    /// <summary>Runs <paramref name="onFailed"/> once when the connection ends (at once if it already has).</summary>
    public void OnFailed(Action<RedisPipeline, Exception> onFailed)
    {
        Exception? failure;
        lock (_failureGate)
        {
            _onFailed = onFailed;
            failure = _failure;
        }

        if (failure is not null)
        {
            onFailed(this, failure);
        }
    }

    /// <summary>Queues a command with the connection's command timeout.</summary>
    public Task<RespValue> SendAsync(RedisRequest request, CancellationToken cancellationToken) =>
        SendAsync(request, CommandTimeout, expectsReply: true, cancellationToken);

    /// <summary>Queues a command; the task completes with its reply (or at once after the flush when no reply is expected).</summary>
    public Task<RespValue> SendAsync(RedisRequest request, TimeSpan timeout, bool expectsReply, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingCommand(request, timeout, expectsReply);
        if (!_outgoing.Writer.TryWrite(pending))
        {
            return Task.FromException<RespValue>(Lost(Volatile.Read(ref _failure)));
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(pending, cancellationToken) : pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(RedisPipeline), "The Redis client was disposed."));
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The loops end by failing; their cause is already recorded.
        }

        await _heartbeat.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<RespValue> WaitAsync(PendingCommand pending, CancellationToken cancellationToken)
    {
        // Cancelling only releases the caller: the command stays queued so its reply is still matched.
        using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCommand)state!).TrySetCanceled(token), pending);
        return await pending.Task.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var outgoing = _outgoing.Reader;
        var sentWithoutReply = new List<PendingCommand>();
        try
        {
            while (await outgoing.WaitToReadAsync().ConfigureAwait(false))
            {
                while (outgoing.TryRead(out var pending))
                {
                    if (Volatile.Read(ref _failure) is { } failure)
                    {
                        pending.TrySetException(Lost(failure));
                        continue;
                    }

                    if (pending.Task.IsCompleted)
                    {
                        continue; // cancelled or timed out before it was sent: nothing to match
                    }

                    // Registered before the bytes leave, so the reply always finds its command.
                    if (pending.ExpectsReply)
                    {
                        _awaiting.Enqueue(pending);
                    }
                    else
                    {
                        sentWithoutReply.Add(pending);
                    }

                    _writer.Write(pending.Request.Payload);
                    if (_writer.UnflushedBytes >= FlushThreshold)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }
                }

                await FlushAsync().ConfigureAwait(false);
                foreach (var sent in sentWithoutReply)
                {
                    sent.TrySetResult(RespValue.Null);
                }

                sentWithoutReply.Clear();
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            var failure = Volatile.Read(ref _failure);
            foreach (var sent in sentWithoutReply)
            {
                sent.TrySetException(Lost(failure));
            }

            while (outgoing.TryRead(out var pending))
            {
                pending.TrySetException(Lost(failure));
            }

            DrainAwaiting();
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task FlushAsync()
    {
        Volatile.Write(ref _flushStartedAt, Stopwatch.GetTimestamp());
        var result = await _writer.FlushAsync().ConfigureAwait(false);
        Volatile.Write(ref _flushStartedAt, 0);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("The connection stopped accepting writes.");
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (RespParser.TryRead(ref buffer, out var reply))
                {
                    Dispatch(reply);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    throw new IOException("The server closed the connection.");
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Dispatch(RespValue reply)
    {
        if (reply.Kind == RespKind.Push || (SubscriberMode && reply.Kind == RespKind.Array))
        {
            _onPush?.Invoke(reply);
            return;
        }

        if (!_awaiting.TryDequeue(out var pending))
        {
            throw new RespProtocolException("The server sent a reply to no command.");
        }

        pending.Complete(reply);
    }

    private void Heartbeat()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var pending in _awaiting)
        {
            if (now > pending.Deadline && !pending.Task.IsCompleted)
            {
                pending.TimeOut(Endpoint);
            }
        }

        var flushStarted = Volatile.Read(ref _flushStartedAt);
        if (flushStarted != 0 && now - flushStarted > _stallTicks)
        {
            Fail(new IOException($"Writing to Redis stalled for more than {CommandTimeout.TotalMilliseconds:0} ms."));
        }
    }

    private void Fail(Exception reason)
    {
        Action<RedisPipeline, Exception>? onFailed;
        lock (_failureGate)
        {
            if (_failure is not null)
            {
                // Already ended; a loop may have queued one more command since the first drain.
                onFailed = null;
            }
            else
            {
                Volatile.Write(ref _failure, reason);
                onFailed = _onFailed ?? NoHandler;
            }
        }

        if (onFailed is null)
        {
            DrainAwaiting();
            return;
        }

        _outgoing.Writer.TryComplete();
        _heartbeat.Change(Timeout.Infinite, Timeout.Infinite);

        // Closing the stream ends a read or write in progress, so both loops finish.
        _stream.Dispose();
        DrainAwaiting();
        onFailed(this, reason);
    }

    private static void NoHandler(RedisPipeline pipeline, Exception reason)
    {
    }

    private void DrainAwaiting()
    {
        var failure = Volatile.Read(ref _failure);
        while (_awaiting.TryDequeue(out var pending))
        {
            pending.TrySetException(Lost(failure));
        }
    }

    private MindoraUnavailableException Lost(Exception? reason) => reason switch
    {
        ObjectDisposedException => new MindoraUnavailableException($"The Redis client for {Endpoint} was disposed.", reason),
        _ => new MindoraUnavailableException($"The connection to Redis at {Endpoint} was lost ({reason?.Message ?? "closed"}); the command may or may not have run.", reason),
    };
}
