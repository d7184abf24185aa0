namespace Mindora.Integrations.Files;

/// <summary>Chooses the Files provider from the connection string; the server (S3/MinIO) provider plugs in here.</summary>
internal static class FilesProviderFactory
{
    /// <summary>Fails early (at registration) when no provider serves the connection string.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            throw MindoraRegistration.ServerProviderNotAvailable("Files", connectionName);
        }
    }

    public static IFilesProvider Create(ProviderContext<MindoraFilesOptions> context)
    {
        EnsureSupported(context.Connection, context.ConnectionName);
        return new EmbeddedFilesProvider(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time);
    }
}
