using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mindora.ServiceDefaults.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>AddStandardResilienceHandler</c> in the shape Microsoft.Extensions.Http.Resilience gives it,
/// built on Polly.Core (that package is not on our feed).
/// </summary>
public static class ResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds total timeout, retry, circuit breaker and per-attempt timeout to the client, configured
    /// by <see cref="HttpResilienceOptions"/> from <c>Mindora:Http:Resilience</c>.
    /// </summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(HttpResiliencePipelines)))
        {
            services.AddOptions<HttpResilienceOptions>()
                .BindConfiguration(HttpResilienceOptions.SectionName)
                .Validate(
                    o => o.AttemptTimeout <= o.TotalRequestTimeout,
                    $"{HttpResilienceOptions.SectionName}: AttemptTimeout must not be longer than TotalRequestTimeout.");
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<HttpResiliencePipelines>();
        }

        return builder.AddHttpMessageHandler(sp => new HttpResilienceHandler(sp.GetRequiredService<HttpResiliencePipelines>()));
    }
}
