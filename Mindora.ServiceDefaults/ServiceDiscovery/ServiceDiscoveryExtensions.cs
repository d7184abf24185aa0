using Microsoft.Extensions.DependencyInjection.Extensions;
using Mindora.ServiceDefaults.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>AddServiceDiscovery</c> in the shape Microsoft.Extensions.ServiceDiscovery gives it, resolving
/// from configuration only (that package is not on our feed).
/// </summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers <see cref="IServiceEndpointResolver"/>, reading <c>services:{service}:{endpoint}:0</c>.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton<IServiceEndpointResolver, ConfigurationServiceEndpointResolver>();
        return services;
    }

    /// <summary>Sends the client's requests for <c>http://{service}/…</c> to the service's configured endpoint.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddServiceDiscovery();
        return builder.AddHttpMessageHandler(sp => new ServiceDiscoveryHandler(sp.GetRequiredService<IServiceEndpointResolver>()));
    }
}
