namespace Mindora.Integrations.Cache;

/// <summary>
/// The primitives a cache store offers, with Redis semantics (keys here are already prefixed and
/// validated). Everything above them — names, serialization, stampede protection, locks — is
/// shared code, so both stores behave alike.
/// </summary>
internal interface ICacheProvider : IMindoraHealthProbe, IAsyncDisposable, IDisposable
{
    Task<byte[]?> GetAsync(int database, string key, CancellationToken cancellationToken);

    /// <summary>Stores the value; without <paramref name="timeToLive"/> it never expires.</summary>
    Task SetAsync(int database, string key, byte[] value, TimeSpan? timeToLive, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(int database, string key, CancellationToken cancellationToken);

    Task<long> RemoveByPrefixAsync(int database, string prefix, CancellationToken cancellationToken);

    /// <summary>Sets a live key's time to live; false when there is no such key.</summary>
    Task<bool> ExpireAsync(int database, string key, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="token"/> under <paramref name="key"/> only when no live key is there (SET NX PX).</summary>
    Task<bool> TryLockAsync(int database, string key, string token, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>Extends the key only while it still holds <paramref name="token"/>.</summary>
    Task<bool> RenewLockAsync(int database, string key, string token, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>Deletes the key only while it still holds <paramref name="token"/>.</summary>
    Task<bool> ReleaseLockAsync(int database, string key, string token, CancellationToken cancellationToken);

    Task PublishAsync(string channel, byte[] message, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="handler"/> (quickly: it must only hand the message on) for every message from when this returns.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string channel, Action<byte[]> handler, CancellationToken cancellationToken);
}
