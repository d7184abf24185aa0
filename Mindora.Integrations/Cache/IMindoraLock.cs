namespace Mindora.Integrations.Cache;

/// <summary>
/// A held distributed lock. It ends at <see cref="ExpiresAt"/> unless renewed; release and renew
/// check the holder's random token, so a holder whose lock expired (and was taken by someone
/// else) can neither release nor extend the newer lock. Disposing releases it.
/// </summary>
public interface IMindoraLock : IAsyncDisposable
{
    /// <summary>The lock's name, as passed to <see cref="IMindoraCache.TryAcquireLockAsync"/>.</summary>
    string Name { get; }

    /// <summary>When the lock ends unless renewed, as this holder's clock sees it.</summary>
    DateTimeOffset ExpiresAt { get; }

    /// <summary>Extends the lock to <paramref name="expiry"/> from now; false when it was no longer held.</summary>
    Task<bool> RenewAsync(TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock; false when it was no longer held by this holder.</summary>
    Task<bool> ReleaseAsync(CancellationToken cancellationToken = default);
}
