using System.Collections.Immutable;

namespace Mindora.Integrations.Files;

/// <summary>
/// The in-process "version committed" event (uploads, signed PUTs, copies, restores, confirmations):
/// handlers run after the commit with the cause (<see cref="ObjectUploadCauses"/>), and their failures stay theirs.
/// </summary>
internal sealed class UploadNotifier
{
    private ImmutableList<Func<ObjectInfo, string, CancellationToken, Task>> _handlers = [];

    public IDisposable Subscribe(Func<ObjectInfo, string, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    /// <summary>Runs every handler; returns how many failed (the upload itself has already succeeded).</summary>
    public async Task<int> NotifyAsync(ObjectInfo info, string cause, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(info, cause, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The object is stored; a handler's failure must not turn that into an error.
                failed++;
            }
        }

        return failed;
    }

    private sealed class Subscription(UploadNotifier owner, Func<ObjectInfo, string, CancellationToken, Task> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref owner._handlers, (list, h) => list.Remove(h), handler);
    }
}
