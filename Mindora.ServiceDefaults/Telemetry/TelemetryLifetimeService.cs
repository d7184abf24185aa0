using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Mindora.ServiceDefaults.Telemetry;

/// <summary>
/// Creates the tracer, meter and logger providers before any hosted service starts (so the first
/// request is already traced) and flushes them after every hosted service, Kestrel included, has
/// stopped. The DI container owns the providers and disposes them with the host.
/// </summary>
internal sealed class TelemetryLifetimeService(IServiceProvider services) : IHostedLifecycleService
{
    private const int FlushTimeoutMilliseconds = 5_000;
    private TracerProvider? _tracer;
    private MeterProvider? _meter;
    private LoggerProvider? _logger;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // Resolving a provider is what builds it and attaches its listeners. They are kept here:
        // at stop the container may already be disposing, so it must not be asked again.
        _tracer = services.GetService<TracerProvider>();
        _meter = services.GetService<MeterProvider>();
        _logger = services.GetService<LoggerProvider>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // ForceFlush blocks, so run it off the caller's thread and let the stop token cut the wait short.
        return Task.Run(Flush, CancellationToken.None).WaitAsync(cancellationToken);
    }

    private void Flush()
    {
        try
        {
            _tracer?.ForceFlush(FlushTimeoutMilliseconds);
            _meter?.ForceFlush(FlushTimeoutMilliseconds);
            _logger?.ForceFlush(FlushTimeoutMilliseconds);
        }
        catch (ObjectDisposedException)
        {
            // Two stops raced (a test host disposing while the app's own Run returns): the other one flushed.
        }
    }
}
