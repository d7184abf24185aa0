using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Mindora.Hosting;

/// <summary>
/// Holds the current snapshot of every resource and tells watchers about each change; the
/// dashboard, tests and <c>WaitFor</c> all read resource state from here.
/// </summary>
public sealed class ResourceNotificationService
{
    private readonly ConcurrentDictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Lock _gate = new();
    private readonly List<Channel<ResourceSnapshot>> _watchers = [];

    /// <summary>The current snapshots, in declaration order.</summary>
    public IReadOnlyList<ResourceSnapshot> Snapshots
    {
        get
        {
            lock (_gate)
            {
                return _order.Select(name => _snapshots[name]).ToList();
            }
        }
    }

    /// <summary>The current snapshot of one resource, or null when there is no such resource.</summary>
    public ResourceSnapshot? Get(string name) => _snapshots.GetValueOrDefault(name);

    internal void Add(ResourceSnapshot snapshot)
    {
        lock (_gate)
        {
            _snapshots[snapshot.Name] = snapshot;
            _order.Add(snapshot.Name);
        }
    }

    /// <summary>Applies <paramref name="change"/> to a resource's snapshot and tells every watcher.</summary>
    internal ResourceSnapshot Update(string name, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        ResourceSnapshot updated;
        Channel<ResourceSnapshot>[] watchers;
        lock (_gate)
        {
            updated = change(_snapshots[name]);
            _snapshots[name] = updated;
            watchers = [.. _watchers];
        }

        foreach (var watcher in watchers)
        {
            watcher.Writer.TryWrite(updated);
        }

        return updated;
    }

    /// <summary>Every change to any resource, from now on, until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<ResourceSnapshot> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Subscribe();
        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return snapshot;
            }
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    /// <summary>Waits until <paramref name="predicate"/> holds for resource <paramref name="name"/>.</summary>
    public async Task<ResourceSnapshot> WaitForAsync(string name, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);

        // Subscribe first, then read the current state, so no change slips between the two.
        var channel = Subscribe();
        try
        {
            var current = Get(name) ?? throw new ArgumentException($"There is no resource named '{name}'.", nameof(name));
            if (predicate(current))
            {
                return current;
            }

            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (snapshot.Name == name && predicate(snapshot))
                {
                    return snapshot;
                }
            }

            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    private Channel<ResourceSnapshot> Subscribe()
    {
        var channel = Channel.CreateUnbounded<ResourceSnapshot>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        return channel;
    }

    private void Unsubscribe(Channel<ResourceSnapshot> channel)
    {
        lock (_gate)
        {
            _watchers.Remove(channel);
        }
    }

    /// <summary>Waits until resource <paramref name="name"/> is running and healthy.</summary>
    public Task<ResourceSnapshot> WaitForHealthyAsync(string name, CancellationToken cancellationToken = default) =>
        WaitForAsync(name, s => s.IsHealthy, cancellationToken);
}
