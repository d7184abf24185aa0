using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mindora.Integrations;
using Mindora.Integrations.Cache;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IMindoraCache"/>, an <see cref="IDistributedCache"/> (replacing any other,
    /// so ASP.NET Core sessions use it) and an <see cref="IOutputCacheStore"/> (replacing any other,
    /// so <c>AddOutputCache()</c> output caching is shared by the app's instances) from the connection string <paramref name="connectionName"/> —
    /// a Redis server (<c>host:port,user=…,password=…</c>) or <c>Embedded=/dir</c> — with options from
    /// <c>Mindora:Cache</c> and the health check <c>mindora-cache</c>. The app name comes from
    /// <c>AddMindora(appName)</c> or <c>Mindora:App</c>. Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">No app name, or the connection string is missing or malformed.</exception>
    public static IHostApplicationBuilder AddMindoraCache(this IHostApplicationBuilder builder, string connectionName = "redis", Action<MindoraCacheOptions>? configure = null)
    {
        if (MindoraRegistration.AddCapability<MindoraCache, MindoraCacheOptions>(builder, "Cache", connectionName, MindoraCacheOptions.SectionName, configure, CacheProviderFactory.EnsureSupported, CacheProviderFactory.Create))
        {
            builder.Services.AddSingleton<IMindoraCache>(sp => sp.GetRequiredService<MindoraCache>());
            builder.Services.Replace(ServiceDescriptor.Singleton<IDistributedCache>(sp => sp.GetRequiredService<MindoraCache>().DistributedCache));
            builder.Services.Replace(ServiceDescriptor.Singleton<IOutputCacheStore>(sp => sp.GetRequiredService<MindoraCache>().OutputCacheStore));
        }

        return builder;
    }
}
