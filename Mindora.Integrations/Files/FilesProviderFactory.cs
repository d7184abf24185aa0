namespace Mindora.Integrations.Files;

/// <summary>Chooses the Files provider from the connection string: embedded (<c>Embedded=dir</c>) or S3/MinIO (<c>Endpoint=…;AccessKey=…;SecretKey=…</c>).</summary>
internal static class FilesProviderFactory
{
    /// <summary>Fails early (at registration) when no provider serves the connection string.</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            S3ConnectionSettings.Parse(connection.Raw, connectionName);
        }
    }

    public static IFilesProvider Create(ProviderContext<MindoraFilesOptions> context) =>
        context.Connection.IsEmbedded
            ? new EmbeddedFilesProvider(context.Connection.EmbeddedDirectory!, context.App, context.Options, context.Meters, context.Time)
            : new S3FilesProvider(S3ConnectionSettings.Parse(context.Connection.Raw, context.ConnectionName), context.App, context.Options, context.Meters, context.Time);
}
