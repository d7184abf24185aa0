using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Search;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IMindoraSearch"/> from the connection string <paramref name="connectionName"/>,
    /// options from <c>Mindora:Search</c> and the health check <c>mindora-search</c>. The app name
    /// comes from <c>AddMindora(appName)</c> or <c>Mindora:App</c>. Calling it again only applies
    /// <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing, malformed or has no provider yet.</exception>
    public static IHostApplicationBuilder AddMindoraSearch(this IHostApplicationBuilder builder, string connectionName = "elasticsearch", Action<MindoraSearchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = MindoraRegistration.ResolveApp(builder);
        var connection = MindoraRegistration.GetConnection(builder, connectionName);
        SearchProviderFactory.EnsureSupported(connection, connectionName);

        var options = builder.Services.AddOptions<MindoraSearchOptions>().BindConfiguration(MindoraSearchOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (MindoraRegistration.IsRegistered<ISearchProvider>(builder.Services))
        {
            return builder;
        }

        builder.Services.AddSingleton<ISearchProvider>(sp => SearchProviderFactory.Create(
            connection,
            connectionName,
            app,
            sp.GetRequiredService<IOptions<MindoraSearchOptions>>().Value,
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddSingleton<IMindoraSearch>(sp => sp.GetRequiredService<ISearchProvider>());
        MindoraRegistration.AddHealthCheck<ISearchProvider>(builder.Services, "mindora-search", "Search");
        return builder;
    }
}
