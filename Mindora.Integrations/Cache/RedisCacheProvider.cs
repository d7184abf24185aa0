using System.Text;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Cache;

/// <summary>
/// The cache on Redis through Mindora's RESP client: plain strings with PX expiry, locks as
/// <c>SET NX PX</c> with token-checked Lua for release and renewal, prefix removal by SCAN and
/// UNLINK (never KEYS, which also blocks the server and is refused to app users).
/// </summary>
internal sealed class RedisCacheProvider(RedisClient client, int probeDatabase) : ICacheProvider
{
    private const int ScanPageSize = 500;

    private static readonly RedisScript ReleaseScript = new(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end");

    private static readonly RedisScript RenewScript = new(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end");

    public RedisClient Client => client;

    public async Task<byte[]?> GetAsync(int database, string key, CancellationToken cancellationToken) =>
        (await client.ExecuteAsync(database, RedisRequest.Create("GET", key), cancellationToken).ConfigureAwait(false)).AsBytes();

    public Task SetAsync(int database, string key, byte[] value, TimeSpan? timeToLive, CancellationToken cancellationToken) =>
        client.ExecuteAsync(
            database,
            timeToLive is { } ttl ? RedisRequest.Create("SET", key, value, "PX", Milliseconds(ttl)) : RedisRequest.Create("SET", key, value),
            cancellationToken);

    public async Task<bool> RemoveAsync(int database, string key, CancellationToken cancellationToken) =>
        (await client.ExecuteAsync(database, RedisRequest.Create("UNLINK", key), cancellationToken).ConfigureAwait(false)).AsInteger() > 0;

    public async Task<long> RemoveByPrefixAsync(int database, string prefix, CancellationToken cancellationToken)
    {
        var pattern = EscapeGlob(prefix) + "*";
        var cursor = "0";
        var removed = 0L;
        do
        {
            var page = await client.ExecuteAsync(database, RedisRequest.Create("SCAN", cursor, "MATCH", pattern, "COUNT", ScanPageSize), cancellationToken).ConfigureAwait(false);
            cursor = page.Items[0].AsString() ?? "0";
            var keys = page.Items[1].Items;
            if (keys.Count > 0)
            {
                var args = new RedisArg[keys.Count];
                for (var i = 0; i < keys.Count; i++)
                {
                    args[i] = keys[i].AsBytes()!;
                }

                removed += (await client.ExecuteAsync(database, RedisRequest.Create("UNLINK", args), cancellationToken).ConfigureAwait(false)).AsInteger();
            }
        }
        while (cursor != "0");

        return removed;
    }

    public async Task<bool> ExpireAsync(int database, string key, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        (await client.ExecuteAsync(database, RedisRequest.Create("PEXPIRE", key, Milliseconds(timeToLive)), cancellationToken).ConfigureAwait(false)).AsInteger() == 1;

    public async Task<bool> TryLockAsync(int database, string key, string token, TimeSpan expiry, CancellationToken cancellationToken) =>
        (await client.ExecuteAsync(database, RedisRequest.Create("SET", key, token, "NX", "PX", Milliseconds(expiry)), cancellationToken).ConfigureAwait(false)).IsOk;

    public async Task<bool> RenewLockAsync(int database, string key, string token, TimeSpan expiry, CancellationToken cancellationToken) =>
        (await client.EvaluateAsync(database, RenewScript, [key], [token, Milliseconds(expiry)], cancellationToken).ConfigureAwait(false)).AsInteger() == 1;

    public async Task<bool> ReleaseLockAsync(int database, string key, string token, CancellationToken cancellationToken) =>
        (await client.EvaluateAsync(database, ReleaseScript, [key], [token], cancellationToken).ConfigureAwait(false)).AsInteger() == 1;

    public Task PublishAsync(string channel, byte[] message, CancellationToken cancellationToken) =>
        client.ExecuteAsync(probeDatabase, RedisRequest.Create("PUBLISH", channel, message), cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<byte[]> handler, CancellationToken cancellationToken) =>
        client.SubscribeAsync(channel, handler, cancellationToken);

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var pong = await client.ExecuteAsync(probeDatabase, RedisRequest.Create("PING"), cancellationToken).ConfigureAwait(false);
        if (pong.AsString() != "PONG")
        {
            throw new MindoraUnavailableException($"Redis at {client.Settings.Describe()} answered PING with something other than PONG.");
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();

    public void Dispose() => client.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Makes every character of <paramref name="prefix"/> literal in a SCAN MATCH pattern.</summary>
    internal static string EscapeGlob(string prefix)
    {
        var escaped = new StringBuilder(prefix.Length + 8);
        foreach (var c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static long Milliseconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds));
}
