using System.Diagnostics;

namespace Mindora.Integrations.Redis;

/// <summary>
/// A command waiting to be written or answered. It stays in the connection's queues even when
/// its caller gave up (cancelled or timed out), so the reply that still comes is matched to it
/// and dropped, and every later reply meets its own command.
/// </summary>
internal sealed class PendingCommand : TaskCompletionSource<RespValue>
{
    public PendingCommand(RedisRequest request, TimeSpan timeout, bool expectsReply)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Request = request;
        ExpectsReply = expectsReply;
        Timeout = timeout;
        Deadline = timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    public RedisRequest Request { get; }

    /// <summary>False for pub/sub commands, whose confirmations arrive as pushes.</summary>
    public bool ExpectsReply { get; }

    public TimeSpan Timeout { get; }

    /// <summary>A <see cref="Stopwatch"/> timestamp after which the caller gets a timeout.</summary>
    public long Deadline { get; }

    /// <summary>Completes the caller with the reply, or with a typed error for an error reply.</summary>
    public void Complete(RespValue reply)
    {
        if (reply.Kind == RespKind.Error)
        {
            TrySetException(new RedisServerException(Request.Name, reply.AsString() ?? string.Empty));
        }
        else
        {
            TrySetResult(reply);
        }
    }

    /// <summary>Fails the caller with a timeout unless it has completed.</summary>
    public void TimeOut(string endpoint) =>
        TrySetException(new MindoraUnavailableException(
            $"Redis at {endpoint} did not answer {Request.Name} within {Timeout.TotalMilliseconds:0} ms; the command may or may not have run.",
            new TimeoutException()));
}
