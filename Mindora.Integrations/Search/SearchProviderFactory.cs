using Mindora.Integrations.Search.Elasticsearch;

namespace Mindora.Integrations.Search;

/// <summary>
/// Chooses the Search provider from the connection string: <c>Embedded=/dir</c> (SQLite FTS5), or
/// the AppHost's Elasticsearch form <c>http(s)://user:password@host:port</c>.
/// </summary>
internal static class SearchProviderFactory
{
    /// <summary>Fails early (at registration) when no provider serves the connection string.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            // Throws a message without the string itself when it is not an Elasticsearch URL.
            ElasticsearchConnection.Parse(connection.Raw, connectionName);
        }
    }

    public static ISearchProvider Create(ProviderContext<MindoraSearchOptions> context)
    {
        EnsureSupported(context.Connection, context.ConnectionName);
        return context.Connection.IsEmbedded
            ? new EmbeddedSearchProvider(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time)
            : new ElasticsearchSearchProvider(ElasticsearchConnection.Parse(context.Connection.Raw, context.ConnectionName), context.App, context.Options, context.Meters);
    }
}
