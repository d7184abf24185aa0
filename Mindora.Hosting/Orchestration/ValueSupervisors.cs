using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;
using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting;

/// <summary>A parameter is ready as soon as its value was resolved (which happens before anything starts).</summary>
internal sealed class ParameterSupervisor(ParameterResource parameter, OrchestratorContext context)
    : ResourceSupervisor(parameter, context)
{
    public override bool CanBeControlled => false;

    protected override bool RestartOnExit => false;

    protected override Task<IRunningService> LaunchAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IRunningService>(new ProbedInstance(_ => Task.FromResult(
            parameter.HasValue ? ProbeResult.Healthy() : ProbeResult.Unhealthy("no value"))));
}

/// <summary>
/// A database lives in its server: it is healthy while the server is and, on a real server, once
/// it exists (the AppHost creates it) and answers a query.
/// </summary>
internal sealed class DatabaseSupervisor(PostgresDatabaseResource database, OrchestratorContext context)
    : ResourceSupervisor(database, context)
{
    public override bool CanBeControlled => false;

    protected override bool RestartOnExit => false;

    protected override async Task<IRunningService> LaunchAsync(CancellationToken cancellationToken)
    {
        var server = database.Server;
        Update(s => s with { Runtime = server.Placement?.Kind, RuntimeReason = $"inside '{server.Name}'" });
        string? connectionString = null;
        if (server.Placement?.Kind is not RuntimeKind.Embedded)
        {
            var serverConnection = await server.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false);
            await PostgresDatabases.EnsureCreatedAsync(serverConnection!, database.DatabaseName, cancellationToken).ConfigureAwait(false);
            connectionString = PostgresDatabases.ForAppHost((await database.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false))!);
            var accounts = await AppAccounts.OfDatabaseAsync(database, Context.Resources, cancellationToken).ConfigureAwait(false);
            if (accounts.Count > 0)
            {
                await PostgresProvisioner.ProvisionDatabaseAsync(connectionString, database.DatabaseName, accounts, cancellationToken).ConfigureAwait(false);
                Log($"Schemas of apps {string.Join(", ", accounts.Select(a => $"'{a.App}' ({a.User})"))} are in place.");
            }
        }

        Log($"Database '{database.DatabaseName}' on '{server.Name}'.");
        return new ProbedInstance(async ct =>
        {
            if (Context.Notifications.Get(server.Name) is not { IsHealthy: true })
            {
                return ProbeResult.Unhealthy($"server '{server.Name}' is not healthy");
            }

            return connectionString is null ? ProbeResult.Healthy() : await PostgresLauncher.ProbeAsync(connectionString, ct).ConfigureAwait(false);
        });
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
