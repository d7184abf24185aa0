namespace Mindora.Integrations.Cache;

/// <summary>
/// The app's cache, on Redis or embedded (SQLite shared by the processes of one machine), with
/// the same semantics on both. Every key, lock and channel lives under the app's prefix
/// <c>{app}:</c>; no argument can reach outside it. Values and messages are JSON
/// (System.Text.Json, web defaults). Names are 1 to <see cref="MindoraCacheOptions.MaxKeyBytes"/>
/// UTF-8 bytes without control characters; a bad name is a <see cref="MindoraInvalidNameException"/>,
/// a value that cannot be serialized a <see cref="MindoraValidationException"/>, and one over
/// <see cref="MindoraCacheOptions.MaxValueBytes"/> a <see cref="MindoraPayloadTooLargeException"/>.
/// A store that cannot be reached raises <see cref="MindoraUnavailableException"/>.
/// </summary>
public interface IMindoraCache
{
    /// <summary>The value under <paramref name="key"/>, or <c>default</c> when there is none (or it expired).</summary>
    /// <exception cref="MindoraValidationException">The stored value cannot be read as <typeparamref name="T"/>.</exception>
    Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> for <paramref name="timeToLive"/> (the default time to live when null).</summary>
    Task SetAsync<T>(string key, T value, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The value under <paramref name="key"/>; when there is none, exactly one caller — across the
    /// processes sharing the cache, through a distributed lock — runs <paramref name="factory"/> and
    /// stores its result, while concurrent callers wait for that value. A factory's exception
    /// reaches the callers waiting in the same process; nothing is stored then.
    /// </summary>
    Task<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, Task<T>> factory, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the value under <paramref name="key"/>; true when there was one.</summary>
    Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes every value whose key starts with <paramref name="prefix"/> (on Redis by SCAN and UNLINK, never KEYS); returns how many.</summary>
    Task<long> RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Sends <paramref name="message"/> to the current subscribers of <paramref name="channel"/> in every process (at most once, not stored for later subscribers).</summary>
    Task PublishAsync<T>(string channel, T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for each message published to <paramref name="channel"/> from
    /// when this returns until the subscription is disposed. Messages reach one subscription one at a
    /// time, in order; a handler's exception is counted and the next message is delivered.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync<T>(string channel, Func<T, CancellationToken, Task> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the distributed lock <paramref name="name"/> for <paramref name="expiry"/>, retrying for
    /// up to <paramref name="wait"/> (once when null); null when another holder kept it.
    /// </summary>
    Task<IMindoraLock?> TryAcquireLockAsync(string name, TimeSpan expiry, TimeSpan? wait = null, CancellationToken cancellationToken = default);
}
