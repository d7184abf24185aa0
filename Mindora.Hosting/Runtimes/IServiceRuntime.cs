using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes;

/// <summary>
/// One way to run backing services (container, process, embedded). The orchestrator asks each
/// runtime whether it can run a resource on this machine and places the resource on the first
/// that can, in the order the options prefer.
/// </summary>
internal interface IServiceRuntime
{
    RuntimeKind Kind { get; }

    /// <summary>Whether this runtime can run <paramref name="resource"/> here, and if not, why.</summary>
    Task<RuntimeAvailability> CheckAvailabilityAsync(ServiceResource resource, CancellationToken cancellationToken);

    /// <summary>Starts the resource; returns once it was launched (not necessarily healthy).</summary>
    Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken);
}

/// <summary>Whether a runtime can run a resource, with the reason shown in the dashboard.</summary>
internal sealed record RuntimeAvailability(bool IsAvailable, string Reason);

/// <summary>What a runtime gets to start a resource.</summary>
/// <param name="DataDirectory">The resource's data directory (created).</param>
/// <param name="Log">Writes a line to the resource's console log.</param>
/// <param name="ShutdownTimeout">How long a stop may take before a kill.</param>
/// <param name="Persistent">Whether the data outlives the run (<c>WithDataVolume()</c>).</param>
internal sealed record ServiceStartContext(string DataDirectory, Action<LogOrigin, string> Log, TimeSpan ShutdownTimeout, bool Persistent);

/// <summary>The outcome of one health probe.</summary>
internal sealed record ProbeResult(bool IsHealthy, string? Description)
{
    public static ProbeResult Healthy(string? description = null) => new(true, description);

    public static ProbeResult Unhealthy(string description) => new(false, description);
}

/// <summary>A started backing service.</summary>
internal interface IRunningService : IAsyncDisposable
{
    /// <summary>The process id when the service is a process.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the service ends on its own (never, for embedded services).</summary>
    Task<int> Exited { get; }

    /// <summary>A real readiness check: a query, a PING, a handshake, a store access.</summary>
    Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Stops the service gracefully within the timeout.</summary>
    Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
