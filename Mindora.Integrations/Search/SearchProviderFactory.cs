using System.Diagnostics.Metrics;

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

    public static ISearchProvider Create(MindoraConnectionString connection, string connectionName, string app, MindoraSearchOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        EnsureSupported(connection, connectionName);
        return new EmbeddedSearchProvider(connection.EmbeddedDirectory!, app, options, meterFactory, time);
    }
}
