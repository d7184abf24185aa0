using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tasks;

/// <summary>Chooses the Tasks provider from the connection string: <c>Embedded=/dir</c> or a Redis server (the forms <c>AddMindoraCache</c> accepts).</summary>
internal static class TasksProviderFactory
{
    /// <summary>Fails early (at registration) when the Redis connection string is malformed.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            RedisConnectionSettings.Parse(connection.Raw, connectionName);
        }
    }

    public static ITasksProvider Create(ProviderContext<MindoraTasksOptions> context)
    {
        if (context.Connection.IsEmbedded)
        {
            return new EmbeddedTaskStore(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time);
        }

        var client = new RedisClient(RedisConnectionSettings.Parse(context.Connection.Raw, context.ConnectionName));
        try
        {
            return new RedisTaskStore(client, context.App, context.Options, context.Meters, context.Time);
        }
        catch
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }
}
