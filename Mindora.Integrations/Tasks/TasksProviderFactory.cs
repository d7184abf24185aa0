namespace Mindora.Integrations.Tasks;

/// <summary>Chooses the Tasks provider from the connection string; the server (Redis) provider plugs in here.</summary>
internal static class TasksProviderFactory
{
    /// <summary>Fails early (at registration) when no provider serves the connection string.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            throw MindoraRegistration.ServerProviderNotAvailable("Tasks", connectionName);
        }
    }

    public static ITasksProvider Create(ProviderContext<MindoraTasksOptions> context)
    {
        EnsureSupported(context.Connection, context.ConnectionName);
        return new EmbeddedTaskStore(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time);
    }
}
