using Mindora.Integrations.Vectors.Embedded;
using Mindora.Integrations.Vectors.Qdrant;

namespace Mindora.Integrations.Vectors;

/// <summary>Chooses the Vectors provider from the connection string: <c>Embedded=/dir</c> or Qdrant's <c>Endpoint=…;Key=…</c>.</summary>
internal static class VectorsProviderFactory
{
    /// <summary>Fails early (at registration) when the Qdrant connection string is malformed.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            QdrantConnection.Parse(connection.Raw, connectionName);
        }
    }

    public static IVectorsProvider Create(ProviderContext<MindoraVectorsOptions> context) => context.Connection.IsEmbedded
        ? new EmbeddedVectorsProvider(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time)
        : new QdrantVectorsProvider(QdrantConnection.Parse(context.Connection.Raw, context.ConnectionName), context.App, context.Options, context.Meters);
}
