using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>Knows how to run one kind of server from its locally installed binaries.</summary>
internal interface IServerLauncher
{
    /// <summary>Whether this launcher runs <paramref name="resource"/>'s kind.</summary>
    bool Handles(ServiceResource resource);

    /// <summary>Whether the server's binaries are here, and if not, what to install.</summary>
    RuntimeAvailability CheckAvailability(ServiceResource resource);

    /// <summary>Starts the server; returns once its process runs (readiness is probed after).</summary>
    Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A server run as child processes: the main one (whose exit is the server's exit) and helpers
/// it needs (RabbitMQ's epmd), stopped after it.
/// </summary>
internal sealed class RunningServer(ChildProcess main, Func<CancellationToken, Task<ProbeResult>> probe, int stopSignal = NativeSignals.SigTerm, params ChildProcess[] helpers) : IRunningService
{
    /// <summary>Runs once every process has stopped (removes data that must not outlive the run).</summary>
    public Action? AfterStop { get; init; }

    public int? ProcessId => main.Id;

    public Task<int> Exited => main.Exited;

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => probe(cancellationToken);

    public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await main.StopAsync(timeout, stopSignal, cancellationToken).ConfigureAwait(false);
        foreach (var helper in helpers)
        {
            await helper.StopAsync(timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        AfterStop?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await main.DisposeAsync().ConfigureAwait(false);
        foreach (var helper in helpers)
        {
            await helper.DisposeAsync().ConfigureAwait(false);
        }
    }
}
