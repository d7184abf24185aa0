using Mindora.Integrations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds Mindora's capabilities to a host, the way Aspire client integrations do:
/// <c>builder.AddMindora("docs")</c> registers every capability whose connection string is
/// present; <c>AddMindoraFiles</c>, <c>AddMindoraTasks</c>, <c>AddMindoraSearch</c> and <c>AddMindoraCache</c> add one
/// each. Each capability binds its options from <c>Mindora:{Capability}</c>, adds a health check
/// tagged <c>ready</c>, and traces and measures through <c>Mindora.{Capability}</c>.
/// </summary>
public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="MindoraAppContext"/> for <paramref name="appName"/> and every capability
    /// whose connection string is present (<c>files</c> → Files, <c>redis</c> → Tasks and Cache,
    /// <c>elasticsearch</c> → Search, <c>qdrant</c> → Vectors, <c>rabbitmq</c> → Messaging; Embeddings always;
    /// names can be changed in <paramref name="configure"/>).
    /// </summary>
    /// <exception cref="MindoraInvalidNameException">The app name is not allowed.</exception>
    /// <exception cref="MindoraConfigurationException">A present connection string is unusable or has no provider yet.</exception>
    public static IHostApplicationBuilder AddMindora(this IHostApplicationBuilder builder, string appName, Action<MindoraOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        MindoraNames.ValidateAppName(appName);
        var options = new MindoraOptions();
        configure?.Invoke(options);

        MindoraRegistration.SetApp(builder, appName);
        if (MindoraRegistration.HasConnection(builder, options.FilesConnectionName))
        {
            builder.AddMindoraFiles(options.FilesConnectionName);
        }

        if (MindoraRegistration.HasConnection(builder, options.TasksConnectionName))
        {
            builder.AddMindoraTasks(options.TasksConnectionName);
        }

        if (MindoraRegistration.HasConnection(builder, options.SearchConnectionName))
        {
            builder.AddMindoraSearch(options.SearchConnectionName);
        }

        if (MindoraRegistration.HasConnection(builder, options.CacheConnectionName))
        {
            builder.AddMindoraCache(options.CacheConnectionName);
        }

        if (MindoraRegistration.HasConnection(builder, options.VectorsConnectionName))
        {
            builder.AddMindoraVectors(options.VectorsConnectionName);
        }

        // Needs no connection string: the local generator unless Mindora:Embeddings:Endpoint is set.
        builder.AddMindoraEmbeddings();

        if (MindoraRegistration.HasConnection(builder, options.MessagingConnectionName))
        {
            builder.AddMindoraMessaging(options.MessagingConnectionName);
        }

        return builder;
    }
}
