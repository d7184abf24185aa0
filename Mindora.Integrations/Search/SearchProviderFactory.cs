namespace Mindora.Integrations.Search;

/// <summary>Chooses the Search provider from the connection string; the server (Elasticsearch) provider plugs in here.</summary>
internal static class SearchProviderFactory
{
    /// <summary>Fails early (at registration) when no provider serves the connection string.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            throw MindoraRegistration.ServerProviderNotAvailable("Search", connectionName);
        }
    }

    public static ISearchProvider Create(ProviderContext<MindoraSearchOptions> context)
    {
        EnsureSupported(context.Connection, context.ConnectionName);
        return new EmbeddedSearchProvider(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time);
    }
}
