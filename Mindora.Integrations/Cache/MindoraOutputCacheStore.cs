using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.OutputCaching;

namespace Mindora.Integrations.Cache;

/// <summary>
/// <see cref="IOutputCacheStore"/> on the app's cache database, so ASP.NET Core output caching is
/// shared by every instance of the app (and survives their restarts on Redis). Tags work by
/// version tokens rather than key sets: each tag has a random token, an entry records the tokens
/// of its tags when stored, and evicting a tag replaces its token — every entry stored under the
/// old one then reads as missing, at once, on every instance, with no scan. Stale entries go
/// with their own time to live. A tag's token lives at least <see cref="TagLifetime"/>; if it
/// expires first, its entries read as missing (a miss, never a stale hit).
/// </summary>
internal sealed class MindoraOutputCacheStore(MindoraCache cache, int database) : IOutputCacheStore
{
    /// <summary>The least time a tag's token is kept after an entry used it.</summary>
    public static readonly TimeSpan TagLifetime = TimeSpan.FromDays(1);

    private const byte Version = 1;
    private const int TokenLength = 32; // 16 random bytes as lowercase hex, as the store keeps them.

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var fullKey = cache.Keys.OutputEntry(key);
        return new(cache.Telemetry.RunAsync("output_get", cache.Keys.App, "output", async () =>
        {
            var entry = await cache.Provider.GetAsync(database, fullKey, cancellationToken).ConfigureAwait(false);
            var body = entry is null ? null : await ValidBodyAsync(entry, cancellationToken).ConfigureAwait(false);
            cache.Count(body is not null);
            return body;
        }));
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var fullKey = cache.Keys.OutputEntry(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero);
        var tagKeys = (tags ?? []).Distinct(StringComparer.Ordinal).Select(cache.Keys.OutputTag).ToArray();
        cache.Serializer.CheckSize(value.Length, "output cache entry");
        return new(cache.Telemetry.RunAsync("output_set", cache.Keys.App, "output", async () =>
        {
            var tokens = new byte[tagKeys.Length][];
            var tagTtl = validFor > TagLifetime ? validFor : TagLifetime;
            for (var i = 0; i < tagKeys.Length; i++)
            {
                tokens[i] = await CurrentTokenAsync(tagKeys[i], tagTtl, cancellationToken).ConfigureAwait(false);
            }

            await cache.Provider.SetAsync(database, fullKey, Encode(tagKeys, tokens, value), validFor, cancellationToken).ConfigureAwait(false);
        }));
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        var tagKey = cache.Keys.OutputTag(tag);
        return new(cache.Telemetry.RunAsync("output_evict", cache.Keys.App, "output", () =>
            cache.Provider.SetAsync(database, tagKey, NewToken(), TagLifetime, cancellationToken)));
    }

    // The tag's token, created when it has none (SET NX: concurrent creators agree on one), and
    // kept alive at least as long as the entry that is about to use it.
    private async Task<byte[]> CurrentTokenAsync(string tagKey, TimeSpan ttl, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await cache.Provider.GetAsync(database, tagKey, cancellationToken).ConfigureAwait(false) is { Length: TokenLength } token)
            {
                await cache.Provider.ExpireAsync(database, tagKey, ttl, cancellationToken).ConfigureAwait(false);
                return token;
            }

            var created = NewToken();
            if (await cache.Provider.TryLockAsync(database, tagKey, Encoding.ASCII.GetString(created), ttl, cancellationToken).ConfigureAwait(false) || attempt > 0)
            {
                // After a lost race the winner's token is read back; a second loss (the token
                // evicted and expired in between) just uses ours: the entry then reads as missing.
                return created;
            }
        }
    }

    private async Task<byte[]?> ValidBodyAsync(byte[] entry, CancellationToken cancellationToken)
    {
        if (!TryDecode(entry, out var tags, out var bodyStart))
        {
            return null;
        }

        foreach (var (tagKey, token) in tags)
        {
            var current = await cache.Provider.GetAsync(database, tagKey, cancellationToken).ConfigureAwait(false);
            if (current is null || !current.AsSpan().SequenceEqual(token))
            {
                return null;
            }
        }

        return entry[bodyStart..];
    }

    private static byte[] NewToken() => Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenLength / 2)));

    // [version][tag count: u16] then per tag [key length: u16][key UTF-8][token], then the body.
    private static byte[] Encode(string[] tagKeys, byte[][] tokens, byte[] body)
    {
        var keys = tagKeys.Select(Encoding.UTF8.GetBytes).ToArray();
        var entry = new byte[3 + keys.Sum(k => 2 + k.Length + TokenLength) + body.Length];
        entry[0] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(1), checked((ushort)keys.Length));
        var at = 3;
        for (var i = 0; i < keys.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(at), checked((ushort)keys[i].Length));
            keys[i].CopyTo(entry, at + 2);
            tokens[i].CopyTo(entry, at + 2 + keys[i].Length);
            at += 2 + keys[i].Length + TokenLength;
        }

        body.CopyTo(entry, at);
        return entry;
    }

    private static bool TryDecode(byte[] entry, out List<(string Key, byte[] Token)> tags, out int bodyStart)
    {
        tags = [];
        bodyStart = 0;
        if (entry.Length < 3 || entry[0] != Version)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(1));
        var at = 3;
        for (var i = 0; i < count; i++)
        {
            if (at + 2 > entry.Length)
            {
                return false;
            }

            var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(at));
            if (at + 2 + keyLength + TokenLength > entry.Length)
            {
                return false;
            }

            tags.Add((Encoding.UTF8.GetString(entry, at + 2, keyLength), entry[(at + 2 + keyLength)..(at + 2 + keyLength + TokenLength)]));
            at += 2 + keyLength + TokenLength;
        }

        bodyStart = at;
        return true;
    }
}
