using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindora.ServiceDefaults.Tests.Support;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Mindora.ServiceDefaults.Tests;

public sealed class OpenTelemetryTests
{
    private static readonly Action<ILogger, string, Exception?> SaidHello =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1, "SaidHello"), "Said hello to {Name}");

    [Fact]
    public async Task Request_span_metrics_and_logs_are_exported_over_otlp_http_when_the_host_stops()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            // Configuration of this host only: nothing process-wide changes, so tests can run in parallel.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "otel-probe-app",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=instance-42,deployment.environment=test",
        };
        await using var app = await TestWebApp.StartAsync(settings, map: app =>
            app.MapGet("/hello", (ILoggerFactory loggers) =>
            {
                SaidHello(loggers.CreateLogger("Hello"), "Ada", null);
                return "hi";
            }));
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        Assert.Equal("hi", await client.GetStringAsync(new Uri("/hello", UriKind.Relative)));
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await app.StopAsync();

        // The stop flushed the batch; the wait only covers an export whose first POST failed under
        // load and is being retried. It stays below the batch's 5 s schedule, so a missing flush still fails.
        var traces = await collector.WaitForAsync("traces", body => OtlpReceiver.HasStringAttribute(body, "url.path", "/hello"), TimeSpan.FromSeconds(4));
        Assert.Contains(traces, body => OtlpReceiver.HasStringAttribute(body, "http.route", "/hello"));
        Assert.Contains(traces, body => OtlpReceiver.HasStringAttribute(body, "service.name", "otel-probe-app"));
        Assert.Contains(traces, body => OtlpReceiver.HasStringAttribute(body, "service.instance.id", "instance-42"));
        Assert.DoesNotContain(traces, body => OtlpReceiver.HasStringAttribute(body, "url.path", "/health"));

        Assert.Contains(collector.Received("metrics"), body => OtlpReceiver.ContainsText(body, "http.server.request.duration"));
        Assert.Contains(collector.Received("logs"), body => OtlpReceiver.ContainsText(body, "Said hello to Ada"));
    }

    [Fact]
    public async Task Tracer_and_meter_providers_are_created_at_start_and_resolvable_from_services()
    {
        await using var app = await TestWebApp.StartAsync(new Dictionary<string, string?>());

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_is_exported()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var app = await TestWebApp.StartAsync(
            new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "quiet-app" },
            map: app => app.MapGet("/hello", () => "hi"));
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        await client.GetStringAsync(new Uri("/hello", UriKind.Relative));
        await app.StopAsync();

        Assert.Empty(collector.Received("traces"));
    }
}
