using Microsoft.Extensions.DependencyInjection;
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
        if (MindoraRegistration.AddCapability<ISearchProvider, MindoraSearchOptions>(builder, "Search", connectionName, MindoraSearchOptions.SectionName, configure, SearchProviderFactory.EnsureSupported, SearchProviderFactory.Create))
        {
            builder.Services.AddSingleton<IMindoraSearch>(sp => sp.GetRequiredService<ISearchProvider>());
        }

        return builder;
    }
}
