using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace Mindora.ServiceDefaults.Telemetry;

/// <summary>
/// Lets the SDK's <c>WithTracing</c>/<c>WithMetrics</c>/<c>UseOtlpExporter</c> register the providers
/// in the app's own service collection, which is what OpenTelemetry.Extensions.Hosting's builder does
/// (that package is not on our feed). The providers then read the host's IConfiguration.
/// </summary>
internal sealed class ServiceCollectionOpenTelemetryBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
