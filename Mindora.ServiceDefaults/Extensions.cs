using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Mindora.ServiceDefaults.Health;
using Mindora.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every Mindora app starts with (the role of an Aspire ServiceDefaults project):
/// OpenTelemetry, health checks, service discovery and resilient HTTP clients.
/// </summary>
public static class MindoraServiceDefaultsExtensions
{
    /// <summary>
    /// Adds OpenTelemetry, the default health checks, service discovery, and for every
    /// <see cref="System.Net.Http.IHttpClientFactory"/> client a resilience handler and service discovery.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience is added first so it wraps discovery: every retry resolves the service again.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Sends traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// The tracer and meter providers are created when the host starts and flushed when it stops.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (builder.Services.Any(d => d.ImplementationType == typeof(TelemetryLifetimeService)))
        {
            return builder; // already configured; a second UseOtlpExporter would throw
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        AspNetCoreTracing.UseSemanticConventionTags();

        var applicationName = builder.Environment.ApplicationName;
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : applicationName;

        IOpenTelemetryBuilder otel = new ServiceCollectionOpenTelemetryBuilder(builder.Services);
        otel.ConfigureResource(resource => resource
                // The application name is only a fallback: the SDK's detector for OTEL_SERVICE_NAME and
                // OTEL_RESOURCE_ATTRIBUTES runs again after it, so the AppHost's values win.
                .AddService(applicationName)
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing
                .AddSource(AspNetCoreTracing.SourceName, "System.Net.Http", "Mindora.*", serviceName, applicationName)
                .AddProcessor(new HealthProbeTraceFilter()))
            .WithMetrics(metrics => metrics
                .AddMeter(
                    "Microsoft.AspNetCore.Hosting",
                    "Microsoft.AspNetCore.Server.Kestrel",
                    "System.Net.Http",
                    "System.Runtime",
                    "Mindora.*"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, protocol, headers) from IConfiguration itself.
            otel.UseOtlpExporter();
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RequestSpanEnrichment>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TelemetryLifetimeService>());

        return builder;
    }

    /// <summary>Adds a <c>self</c> health check tagged <c>live</c>: the app is responsive.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [DefaultEndpoints.LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check must pass) and <c>/alive</c> (only checks tagged <c>live</c>).
    /// Both answer 200 <c>Healthy</c> or 503 with the status as plain text, never check details.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(DefaultEndpoints.HealthPath, StrictHealthOptions(predicate: null));
        app.MapHealthChecks(DefaultEndpoints.AlivePath, StrictHealthOptions(r => r.Tags.Contains(DefaultEndpoints.LiveTag)));

        return app;
    }

    // Degraded counts as failing too: "healthy" means every selected check passed.
    private static HealthCheckOptions StrictHealthOptions(Func<HealthCheckRegistration, bool>? predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
