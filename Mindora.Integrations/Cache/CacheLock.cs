namespace Mindora.Integrations.Cache;

/// <summary>A lock held through <see cref="ICacheProvider"/>'s token-checked primitives.</summary>
internal sealed class CacheLock(ICacheProvider provider, int database, string key, string name, string token, DateTimeOffset expiresAt, TimeProvider time) : IMindoraLock
{
    private int _released;

    public string Name => name;

    public DateTimeOffset ExpiresAt { get; private set; } = expiresAt;

    public async Task<bool> RenewAsync(TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        MindoraCache.ValidateDuration(expiry, nameof(expiry));
        if (Volatile.Read(ref _released) != 0)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (!await provider.RenewLockAsync(database, key, token, expiry, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        ExpiresAt = now + expiry;
        return true;
    }

    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        return await provider.ReleaseLockAsync(database, key, token, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (MindoraUnavailableException)
        {
            // The store is unreachable; the lock ends by itself at its expiry.
        }
    }
}
