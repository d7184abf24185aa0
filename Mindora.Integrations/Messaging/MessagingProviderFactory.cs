namespace Mindora.Integrations.Messaging;

/// <summary>Chooses the message store from the connection string: <c>Embedded=/dir</c> or a RabbitMQ URI (<c>amqp://user:pw@host:port</c>).</summary>
internal static class MessagingProviderFactory
{
    /// <summary>Fails early (at registration) when the RabbitMQ connection string is malformed; never echoes it (it holds a password).</summary>
    public static void EnsureSupported(MindoraConnectionString connection, string connectionName)
    {
        if (!connection.IsEmbedded)
        {
            ParseUri(connection, connectionName);
        }
    }

    public static MindoraMessaging Create(ProviderContext<MindoraMessagingOptions> context)
    {
        IMessagingProvider provider = context.Connection.IsEmbedded
            ? new EmbeddedMessagingProvider(context.Connection.EmbeddedDirectory!, context.Options, context.Time)
            : new RabbitMessagingProvider(ParseUri(context.Connection, context.ConnectionName), context.App, context.Options);
        return new MindoraMessaging(provider, context.App, context.Options, context.Meters, context.Time);
    }

    private static Uri ParseUri(MindoraConnectionString connection, string connectionName) =>
        Uri.TryCreate(connection.Raw.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && !string.IsNullOrEmpty(uri.Host)
            ? uri
            : throw new MindoraConfigurationException($"Connection string '{connectionName}' is neither 'Embedded=/absolute/dir' nor a RabbitMQ URI 'amqp://user:password@host:port'.");
}
