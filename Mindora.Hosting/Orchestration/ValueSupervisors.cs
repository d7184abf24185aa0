using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;

namespace Mindora.Hosting;

/// <summary>A parameter is ready as soon as its value was resolved (which happens before anything starts).</summary>
internal sealed class ParameterSupervisor(ParameterResource parameter, OrchestratorContext context)
    : ResourceSupervisor(parameter, context)
{
    protected override bool RestartOnExit => false;

    protected override Task<IRunningService> LaunchAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IRunningService>(new ProbedInstance(_ => Task.FromResult(
            parameter.HasValue ? ProbeResult.Healthy() : ProbeResult.Unhealthy("no value"))));
}

/// <summary>A database lives in its server: it is healthy while the server is.</summary>
internal sealed class DatabaseSupervisor(PostgresDatabaseResource database, OrchestratorContext context)
    : ResourceSupervisor(database, context)
{
    protected override bool RestartOnExit => false;

    protected override Task<IRunningService> LaunchAsync(CancellationToken cancellationToken)
    {
        var server = database.Server;
        Update(s => s with { Runtime = server.Placement?.Kind, RuntimeReason = $"inside '{server.Name}'" });
        Log($"Database '{database.DatabaseName}' on '{server.Name}'.");
        return Task.FromResult<IRunningService>(new ProbedInstance(_ =>
        {
            var parent = Context.Notifications.Get(server.Name);
            return Task.FromResult(parent is { IsHealthy: true }
                ? ProbeResult.Healthy()
                : ProbeResult.Unhealthy($"server '{server.Name}' is not healthy"));
        }));
    }
}

/// <summary>An instance with nothing to run or stop; only a probe.</summary>
internal sealed class ProbedInstance(Func<CancellationToken, Task<ProbeResult>> probe) : IRunningService
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int? ProcessId => null;

    public Task<int> Exited => _exited.Task;

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => probe(cancellationToken);

    public Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _exited.TrySetResult(0);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
