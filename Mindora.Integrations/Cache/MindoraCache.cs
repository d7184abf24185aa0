using System.Diagnostics.Metrics;
using System.Security.Cryptography;

namespace Mindora.Integrations.Cache;

/// <summary>
/// <see cref="IMindoraCache"/> over either store: validates names, prefixes them with the app,
/// serializes values, protects GetOrCreate from stampedes (in-process single flight, then a
/// distributed lock across processes) and measures every operation on <c>Mindora.Cache</c>.
/// </summary>
internal sealed class MindoraCache : IMindoraCache, IMindoraHealthProbe, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(365);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(5);

    private readonly MindoraCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly MindoraInstrumentation _telemetry;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _handlerErrors;
    private readonly SingleFlight _flights = new();
    private readonly int _database;
    private int _disposed;

    public MindoraCache(ICacheProvider provider, string app, MindoraCacheOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        ValidateOptions(options);
        Provider = provider;
        Keys = new CacheKeys(app, options.MaxKeyBytes);
        Serializer = new CacheSerializer(options.MaxValueBytes);
        _options = options;
        _time = time;
        _database = options.Databases.Cache;
        _telemetry = new MindoraInstrumentation("Cache", "mindora.cache", "cache", "mindora.cache.area", meterFactory);
        _hits = _telemetry.CreateCounter("hits", "{lookup}", "Cache lookups that found a value.");
        _misses = _telemetry.CreateCounter("misses", "{lookup}", "Cache lookups that found nothing.");
        _handlerErrors = _telemetry.CreateCounter("handler_errors", "{message}", "Messages whose subscriber failed.");
        DistributedCache = new MindoraDistributedCache(this, options.Databases.Sessions, time);
        OutputCacheStore = new MindoraOutputCacheStore(this, _database);
    }

    public ICacheProvider Provider { get; }

    public CacheKeys Keys { get; }

    public CacheSerializer Serializer { get; }

    public MindoraInstrumentation Telemetry => _telemetry;

    /// <summary>The <c>IDistributedCache</c> view on the sessions database.</summary>
    public MindoraDistributedCache DistributedCache { get; }

    /// <summary>The <c>IOutputCacheStore</c> view on the cache database.</summary>
    public MindoraOutputCacheStore OutputCacheStore { get; }

    public Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        var fullKey = Keys.Value(key);
        return _telemetry.RunAsync("get", Keys.App, "values", async () =>
        {
            var stored = await Provider.GetAsync(_database, fullKey, cancellationToken).ConfigureAwait(false);
            Count(stored is not null);
            return stored is null ? default : Serializer.Deserialize<T>(stored, "value");
        });
    }

    public Task SetAsync<T>(string key, T value, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        var fullKey = Keys.Value(key);
        var ttl = TimeToLive(timeToLive);
        var bytes = Serializer.Serialize(value, "value", nameof(value));
        return _telemetry.RunAsync("set", Keys.App, "values", () => Provider.SetAsync(_database, fullKey, bytes, ttl, cancellationToken));
    }

    public Task<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, Task<T>> factory, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        var fullKey = Keys.Value(key);
        ArgumentNullException.ThrowIfNull(factory);
        var ttl = TimeToLive(timeToLive);
        return _telemetry.RunAsync("get_or_create", Keys.App, "values", async () =>
        {
            var stored = await Provider.GetAsync(_database, fullKey, cancellationToken).ConfigureAwait(false);
            Count(stored is not null);
            stored ??= await _flights.RunAsync(fullKey, ct => CreateAsync(fullKey, factory, ttl, ct), cancellationToken).ConfigureAwait(false);

            // Every caller gets its own instance, never one shared with other callers.
            return Serializer.Deserialize<T>(stored, "value")!;
        });
    }

    public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        var fullKey = Keys.Value(key);
        return _telemetry.RunAsync("remove", Keys.App, "values", () => Provider.RemoveAsync(_database, fullKey, cancellationToken));
    }

    public Task<long> RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var fullPrefix = Keys.ValuePrefix(prefix);
        return _telemetry.RunAsync("remove_by_prefix", Keys.App, "values", () => Provider.RemoveByPrefixAsync(_database, fullPrefix, cancellationToken));
    }

    public Task PublishAsync<T>(string channel, T message, CancellationToken cancellationToken = default)
    {
        var fullChannel = Keys.Channel(channel);
        var bytes = Serializer.Serialize(message, "message", nameof(message));
        return _telemetry.RunAsync("publish", Keys.App, "channels", () => Provider.PublishAsync(fullChannel, bytes, cancellationToken));
    }

    public Task<IAsyncDisposable> SubscribeAsync<T>(string channel, Func<T, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        var fullChannel = Keys.Channel(channel);
        ArgumentNullException.ThrowIfNull(handler);
        return _telemetry.RunAsync<IAsyncDisposable>("subscribe", Keys.App, "channels", async () =>
        {
            var subscription = new CacheSubscription<T>(handler, Serializer, _handlerErrors, Keys.App);
            try
            {
                subscription.Attach(await Provider.SubscribeAsync(fullChannel, subscription.Enqueue, cancellationToken).ConfigureAwait(false));
                return subscription;
            }
            catch
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        });
    }

    public Task<IMindoraLock?> TryAcquireLockAsync(string name, TimeSpan expiry, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var lockKey = Keys.Lock(name);
        ValidateDuration(expiry, nameof(expiry));
        if (wait is { } w && (w < TimeSpan.Zero || w > MaxDuration))
        {
            throw new MindoraValidationException(nameof(wait), "The wait must be between zero and 365 days.");
        }

        return _telemetry.RunAsync("lock", Keys.App, "locks", async () =>
        {
            var token = NewToken();
            var deadline = _time.GetUtcNow() + (wait ?? TimeSpan.Zero);
            var delay = FirstRetry;
            while (true)
            {
                var now = _time.GetUtcNow();
                if (await Provider.TryLockAsync(_database, lockKey, token, expiry, cancellationToken).ConfigureAwait(false))
                {
                    return (IMindoraLock?)new CacheLock(Provider, _database, lockKey, name, token, now + expiry, _time);
                }

                var left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                await Task.Delay(delay < left ? delay : left, _time, cancellationToken).ConfigureAwait(false);
                delay = NextDelay(delay);
            }
        });
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => Provider.ProbeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await Provider.DisposeAsync().ConfigureAwait(false);
            _telemetry.Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Provider.Dispose();
            _telemetry.Dispose();
        }
    }

    /// <summary>Rejects durations Redis cannot express in whole milliseconds or that are absurdly long.</summary>
    public static void ValidateDuration(TimeSpan value, string parameterName)
    {
        if (value < TimeSpan.FromMilliseconds(1) || value > MaxDuration)
        {
            throw new MindoraValidationException(parameterName, $"The {parameterName} must be between 1 ms and 365 days.");
        }
    }

    internal void Count(bool hit)
    {
        var tag = new KeyValuePair<string, object?>(MindoraInstrumentation.AppTag, Keys.App);
        (hit ? _hits : _misses).Add(1, tag);
    }

    internal static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The computation of one missing value. Whoever holds the key's flight lock computes; everyone
    /// else (other processes) looks for the value with backoff, and takes over if the lock ends
    /// without a value (its holder failed or died).
    /// </summary>
    private async Task<byte[]> CreateAsync<T>(string fullKey, Func<CancellationToken, Task<T>> factory, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var lockKey = Keys.FlightLock(fullKey);
        var token = NewToken();
        var delay = FirstRetry;
        while (true)
        {
            if (await Provider.TryLockAsync(_database, lockKey, token, _options.GetOrCreateLockExpiry, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // Another process may have stored it between our miss and the lock.
                    if (await Provider.GetAsync(_database, fullKey, cancellationToken).ConfigureAwait(false) is { } stored)
                    {
                        return stored;
                    }

                    var value = await factory(cancellationToken).ConfigureAwait(false);
                    var bytes = Serializer.Serialize(value, "value", nameof(factory));
                    await Provider.SetAsync(_database, fullKey, bytes, ttl, cancellationToken).ConfigureAwait(false);
                    return bytes;
                }
                finally
                {
                    await ReleaseQuietlyAsync(lockKey, token).ConfigureAwait(false);
                }
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = NextDelay(delay);
            if (await Provider.GetAsync(_database, fullKey, cancellationToken).ConfigureAwait(false) is { } computed)
            {
                return computed;
            }
        }
    }

    private async Task ReleaseQuietlyAsync(string lockKey, string token)
    {
        try
        {
            await Provider.ReleaseLockAsync(_database, lockKey, token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MindoraUnavailableException)
        {
            // The lock expires by itself; waiters then look again.
        }
    }

    private TimeSpan NextDelay(TimeSpan delay) =>
        TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryInterval.Ticks));

    private TimeSpan TimeToLive(TimeSpan? requested)
    {
        var ttl = requested ?? _options.DefaultTimeToLive;
        ValidateDuration(ttl, "timeToLive");
        return ttl;
    }

    private static void ValidateOptions(MindoraCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var databases = options.Databases ?? throw new MindoraConfigurationException("Mindora:Cache:Databases must not be empty.");
        foreach (var (name, value) in new[] { ("Cache", databases.Cache), ("Sessions", databases.Sessions), ("Config", databases.Config), ("Queues", databases.Queues) })
        {
            if (value is < 0 or > 1_000_000)
            {
                throw new MindoraConfigurationException($"Mindora:Cache:Databases:{name} must be between 0 and 1000000; it is {value}.");
            }
        }

        Require(options.MaxKeyBytes is >= 16 and <= 64 * 1024, "MaxKeyBytes must be between 16 and 65536");
        Require(options.MaxValueBytes is >= 1024 and <= 512 * 1024 * 1024, "MaxValueBytes must be between 1024 and 536870912");
        Require(options.DefaultTimeToLive >= TimeSpan.FromMilliseconds(1) && options.DefaultTimeToLive <= MaxDuration, "DefaultTimeToLive must be between 1 ms and 365 days");
        Require(options.GetOrCreateLockExpiry >= TimeSpan.FromMilliseconds(100), "GetOrCreateLockExpiry must be at least 100 ms");
        Require(options.MaxRetryInterval >= TimeSpan.FromMilliseconds(1) && options.MaxRetryInterval <= TimeSpan.FromMinutes(1), "MaxRetryInterval must be between 1 ms and 1 minute");
        Require(options.PollInterval >= TimeSpan.FromMilliseconds(1) && options.PollInterval <= TimeSpan.FromMinutes(1), "PollInterval must be between 1 ms and 1 minute");
        Require(options.CleanupInterval >= TimeSpan.FromMilliseconds(1), "CleanupInterval must be positive");
        Require(options.MessageRetention >= TimeSpan.FromSeconds(1), "MessageRetention must be at least 1 s");
    }

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw new MindoraConfigurationException($"Mindora:Cache:{rule}.");
        }
    }
}
