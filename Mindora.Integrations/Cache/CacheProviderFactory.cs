using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Cache;

/// <summary>Chooses the cache store from the connection string: <c>Embedded=/dir</c> or a Redis server.</summary>
internal static class CacheProviderFactory
{
    /// <summary>Fails early (at registration) when the Redis connection string is malformed.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            RedisConnectionSettings.Parse(connection.Raw, connectionName);
        }
    }

    public static MindoraCache Create(ProviderContext<MindoraCacheOptions> context)
    {
        var options = context.Options;
        ICacheProvider provider = context.Connection.IsEmbedded
            ? new EmbeddedCacheProvider(context.Connection.EmbeddedDirectory!, options, context.Time)
            : new RedisCacheProvider(new RedisClient(RedisConnectionSettings.Parse(context.Connection.Raw, context.ConnectionName)), options.Databases?.Cache ?? 0);
        try
        {
            return new MindoraCache(provider, context.App, options, context.Meters, context.Time);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
