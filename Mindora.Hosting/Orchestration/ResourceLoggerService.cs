using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Mindora.Hosting;

/// <summary>Where a log line came from.</summary>
public enum LogOrigin
{
    /// <summary>The resource's standard output.</summary>
    Stdout,

    /// <summary>The resource's standard error.</summary>
    Stderr,

    /// <summary>The AppHost, about the resource (start, stop, health).</summary>
    System,
}

/// <summary>One captured console line.</summary>
/// <param name="Sequence">Increasing per resource; lets a reader resume after a line.</param>
/// <param name="Timestamp">When the AppHost received the line.</param>
/// <param name="Origin">Where it came from.</param>
/// <param name="Text">The line, with secrets masked.</param>
public sealed record LogLine(long Sequence, DateTimeOffset Timestamp, LogOrigin Origin, string Text);

/// <summary>
/// Keeps the recent console lines of every resource (a bounded buffer per resource) and streams
/// new ones to readers. Known secret values are masked before a line is stored.
/// </summary>
public sealed class ResourceLoggerService
{
    /// <summary>How many lines each resource keeps.</summary>
    public const int Capacity = 5000;

    private readonly ConcurrentDictionary<string, ResourceLog> _logs = new(StringComparer.Ordinal);
    private readonly SecretMasker _masker;
    private readonly TimeProvider _time;

    internal ResourceLoggerService(SecretMasker masker, TimeProvider time)
    {
        _masker = masker;
        _time = time;
    }

    /// <summary>Appends a line to a resource's log.</summary>
    public void Write(string resourceName, LogOrigin stream, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Log(resourceName).Append(_time.GetUtcNow(), stream, _masker.Mask(text));
    }

    /// <summary>The most recent lines after <paramref name="afterSequence"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<LogLine> GetRecent(string resourceName, long afterSequence = 0, int limit = Capacity) =>
        Log(resourceName).Recent(afterSequence, limit);

    /// <summary>Lines after <paramref name="afterSequence"/>: the buffered ones first, then each new one as it arrives.</summary>
    public IAsyncEnumerable<LogLine> FollowAsync(string resourceName, long afterSequence, CancellationToken cancellationToken) =>
        Log(resourceName).FollowAsync(afterSequence, cancellationToken);

    private ResourceLog Log(string resourceName) => _logs.GetOrAdd(resourceName, static _ => new ResourceLog());

    private sealed class ResourceLog
    {
        private readonly Lock _gate = new();
        private readonly Queue<LogLine> _lines = new();
        private readonly List<Channel<LogLine>> _followers = [];
        private long _sequence;

        public void Append(DateTimeOffset timestamp, LogOrigin stream, string text)
        {
            Channel<LogLine>[] followers;
            LogLine line;
            lock (_gate)
            {
                line = new LogLine(++_sequence, timestamp, stream, text);
                _lines.Enqueue(line);
                if (_lines.Count > Capacity)
                {
                    _lines.Dequeue();
                }

                followers = [.. _followers];
            }

            foreach (var follower in followers)
            {
                follower.Writer.TryWrite(line);
            }
        }

        public List<LogLine> Recent(long afterSequence, int limit)
        {
            lock (_gate)
            {
                var newer = _lines.Where(l => l.Sequence > afterSequence).ToList();
                return newer.Count <= limit ? newer : newer.GetRange(newer.Count - limit, limit);
            }
        }

        public async IAsyncEnumerable<LogLine> FollowAsync(long afterSequence, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // A slow reader must not hold the AppHost's memory hostage: drop its oldest lines.
            var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
            List<LogLine> backlog;
            lock (_gate)
            {
                backlog = _lines.Where(l => l.Sequence > afterSequence).ToList();
                _followers.Add(channel);
            }

            try
            {
                var last = afterSequence;
                foreach (var line in backlog)
                {
                    last = line.Sequence;
                    yield return line;
                }

                await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (line.Sequence > last)
                    {
                        last = line.Sequence;
                        yield return line;
                    }
                }
            }
            finally
            {
                lock (_gate)
                {
                    _followers.Remove(channel);
                }
            }
        }
    }
}
