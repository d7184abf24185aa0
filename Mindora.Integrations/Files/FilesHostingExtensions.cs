using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
        ArgumentNullException.ThrowIfNull(builder);
        var app = MindoraRegistration.ResolveApp(builder);
        var connection = MindoraRegistration.GetConnection(builder, connectionName);
        FilesProviderFactory.EnsureSupported(connection, connectionName);

        var options = builder.Services.AddOptions<MindoraFilesOptions>().BindConfiguration(MindoraFilesOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (MindoraRegistration.IsRegistered<IFilesProvider>(builder.Services))
        {
            return builder;
        }

        builder.Services.AddSingleton<IFilesProvider>(sp => FilesProviderFactory.Create(
            connection,
            connectionName,
            app,
            sp.GetRequiredService<IOptions<MindoraFilesOptions>>().Value,
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<IMindoraFiles>(sp => sp.GetRequiredService<IFilesProvider>());
        MindoraRegistration.AddHealthCheck<IFilesProvider>(builder.Services, "mindora-files", "Files");
        return builder;
    }
}
