using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations;
using Mindora.Integrations.Files;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IMindoraFiles"/> from the connection string <paramref name="connectionName"/>,
    /// options from <c>Mindora:Files</c> and the health check <c>mindora-files</c>. The app name
    /// comes from <c>AddMindora(appName)</c> or <c>Mindora:App</c>. Calling it again only applies
    /// <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing, malformed or has no provider yet.</exception>
    public static IHostApplicationBuilder AddMindoraFiles(this IHostApplicationBuilder builder, string connectionName = "files", Action<MindoraFilesOptions>? configure = null)
    {
        if (MindoraRegistration.AddCapability<IFilesProvider, MindoraFilesOptions>(builder, "Files", connectionName, MindoraFilesOptions.SectionName, configure, FilesProviderFactory.EnsureSupported, FilesProviderFactory.Create))
        {
            builder.Services.AddSingleton<IMindoraFiles>(sp => sp.GetRequiredService<IFilesProvider>());
            builder.Services.AddHostedService<UploadEventPublisher>(); // publishes upload events when Mindora:Files:PublishUploads is on
        }

        return builder;
    }
}
