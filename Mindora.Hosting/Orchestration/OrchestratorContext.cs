using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Mindora.Hosting.Runtimes;

namespace Mindora.Hosting;

/// <summary>What every supervisor shares: options, state, logs, ports, the reaper, the clock.</summary>
internal sealed class OrchestratorContext
{
    public required MindoraHostOptions Options { get; init; }

    public required IConfiguration Configuration { get; init; }

    public required ResourceNotificationService Notifications { get; init; }

    public required ResourceLoggerService Logs { get; init; }

    public required SecretMasker Masker { get; init; }

    public required PortAllocator Ports { get; init; }

    public required ProcessReaper Reaper { get; init; }

    public required ProjectTargets Projects { get; init; }

    public required HttpClient ProbeClient { get; init; }

    /// <summary>The whole model (for who references what).</summary>
    public required IReadOnlyList<ApplicationModel.IResource> Resources { get; init; }

    /// <summary>Creates each app's account on the servers that isolate apps by credentials.</summary>
    public required IReadOnlyList<Runtimes.LocalServers.IAppProvisioner> Provisioners { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>This run's directory for data that is not kept (<c>{data-dir}/runs/{run-id}</c>).</summary>
    public required string RunDirectory { get; init; }

    /// <summary>A short id of this run, used in telemetry resource attributes.</summary>
    public required string RunId { get; init; }

    /// <summary>The admin token of this run, given to every project and executable; null gives none.</summary>
    public string? AdminToken { get; init; }
}
