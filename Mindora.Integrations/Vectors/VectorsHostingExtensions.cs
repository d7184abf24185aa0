using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations;
using Mindora.Integrations.Vectors;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IMindoraVectors"/> from the connection string <paramref name="connectionName"/> —
    /// Qdrant (<c>Endpoint=http://host:6333;Key=…</c>, as the AppHost writes it) or <c>Embedded=/dir</c> —
    /// with options from <c>Mindora:Vectors</c> and the health check <c>mindora-vectors</c>. The app
    /// name comes from <c>AddMindora(appName)</c> or <c>Mindora:App</c>. Calling it again only applies
    /// <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing or malformed.</exception>
    public static IHostApplicationBuilder AddMindoraVectors(this IHostApplicationBuilder builder, string connectionName = "qdrant", Action<MindoraVectorsOptions>? configure = null)
    {
        if (MindoraRegistration.AddCapability<IVectorsProvider, MindoraVectorsOptions>(builder, "Vectors", connectionName, MindoraVectorsOptions.SectionName, configure, VectorsProviderFactory.EnsureSupported, VectorsProviderFactory.Create))
        {
            builder.Services.AddSingleton<IMindoraVectors>(sp => sp.GetRequiredService<IVectorsProvider>());
        }

        return builder;
    }
}
