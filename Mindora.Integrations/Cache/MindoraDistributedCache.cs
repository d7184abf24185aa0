using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;

namespace Mindora.Integrations.Cache;

/// <summary>
/// <see cref="IDistributedCache"/> on the sessions database, for ASP.NET Core sessions and
/// anything else written against that interface. Each entry is one value — a 17-byte header
/// (version, absolute expiry, sliding window) and the bytes — stored with a time to live, so an
/// entry and its expiry are written in one atomic step on both stores; a read inside the sliding
/// window extends it (never past the absolute expiry).
/// </summary>
internal sealed class MindoraDistributedCache(MindoraCache cache, int database, TimeProvider time) : IDistributedCache
{
    private const byte Version = 1;
    private const int HeaderLength = 17;
    private static readonly TimeSpan MinimumTtl = TimeSpan.FromMilliseconds(1);

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var fullKey = cache.Keys.Session(key);
        return cache.Telemetry.RunAsync("session_get", cache.Keys.App, "sessions", async () =>
        {
            var data = await ReadAsync(fullKey, slide: true, token).ConfigureAwait(false);
            cache.Count(data is not null);
            return data;
        });
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var fullKey = cache.Keys.Session(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        cache.Serializer.CheckSize(value.Length, "session value");
        var now = time.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (now + options.AbsoluteExpirationRelativeToNow);
        if (absolute is { } at && at <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), at, "The absolute expiration value must be in the future.");
        }

        var sliding = options.SlidingExpiration;
        if (sliding is { } s && s <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), s, "The sliding expiration value must be positive.");
        }

        var entry = new byte[HeaderLength + value.Length];
        entry[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(1), absolute?.ToUnixTimeMilliseconds() ?? 0);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(9), (long)(sliding?.TotalMilliseconds ?? 0));
        value.CopyTo(entry, HeaderLength);
        var window = Window(now, absolute, sliding);
        var ttl = window is { } w && w < MinimumTtl ? MinimumTtl : window;
        return cache.Telemetry.RunAsync("session_set", cache.Keys.App, "sessions", () => cache.Provider.SetAsync(database, fullKey, entry, ttl, token));
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        var fullKey = cache.Keys.Session(key);
        return cache.Telemetry.RunAsync("session_refresh", cache.Keys.App, "sessions", () => ReadAsync(fullKey, slide: true, token));
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        var fullKey = cache.Keys.Session(key);
        return cache.Telemetry.RunAsync("session_remove", cache.Keys.App, "sessions", () => cache.Provider.RemoveAsync(database, fullKey, token));
    }

    private async Task<byte[]?> ReadAsync(string fullKey, bool slide, CancellationToken cancellationToken)
    {
        var entry = await cache.Provider.GetAsync(database, fullKey, cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Length < HeaderLength || entry[0] != Version)
        {
            return null;
        }

        var absoluteMs = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(1));
        var slidingMs = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(9));
        if (slide && slidingMs > 0)
        {
            var now = time.GetUtcNow();
            DateTimeOffset? absolute = absoluteMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(absoluteMs) : null;
            var ttl = Window(now, absolute, TimeSpan.FromMilliseconds(slidingMs))!.Value;
            if (ttl < MinimumTtl)
            {
                await cache.Provider.RemoveAsync(database, fullKey, cancellationToken).ConfigureAwait(false);
                return null;
            }

            await cache.Provider.ExpireAsync(database, fullKey, ttl, cancellationToken).ConfigureAwait(false);
        }

        return entry[HeaderLength..];
    }

    /// <summary>The sliding window capped by the absolute expiry; null without either (the entry never expires).</summary>
    private static TimeSpan? Window(DateTimeOffset now, DateTimeOffset? absolute, TimeSpan? sliding) => (sliding, absolute - now) switch
    {
        ({ } s, { } a) => s < a ? s : a,
        ({ } s, null) => s,
        (null, { } a) => a,
        _ => null,
    };
}
