using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting.Publishing;

/// <summary>
/// The <c>provision</c> verb, run once by the compose file's <c>provision</c> service after the
/// backing services are healthy: the same provisioners as at development time create each app's
/// accounts, databases and schemas on the compose services (reached by service name and container
/// port). Secrets come from the environment (<c>Parameters__{name}</c>), never generated here.
/// </summary>
internal static partial class ProvisionCommand
{
    private const int Attempts = 30;

    public static async Task RunAsync(IReadOnlyList<IResource> resources, IConfiguration configuration, IReadOnlyList<IAppProvisioner> provisioners, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var service in resources.OfType<ServiceResource>())
        {
            service.Placement = new RuntimePlacement(RuntimeKind.Container, "provisioning a compose deployment", string.Empty);
            foreach (var endpoint in service.AnnotationsOf<EndpointAnnotation>())
            {
                endpoint.Allocated = new AllocatedEndpoint(endpoint.Scheme is "http" or "https" ? endpoint.Scheme : "tcp", service.Name, endpoint.TargetPort ?? 0);
            }
        }

        // Only the secrets provisioning uses are given to it; one it needs but lacks fails loudly when read.
        new ParameterResolver(configuration, Path.GetTempPath(), new SecretMasker(), generateMissing: false, requireAll: false)
            .ResolveAll(resources.OfType<ParameterResource>());

        foreach (var service in resources.OfType<ServiceResource>().Where(s => s.AppPasswords.Count > 0))
        {
            if (provisioners.FirstOrDefault(p => p.Handles(service)) is { } provisioner)
            {
                var accounts = await AppAccounts.OfServiceAsync(service, cancellationToken).ConfigureAwait(false);
                await RetryAsync(service.Name, logger, ct => provisioner.ProvisionAsync(service, accounts, ct), cancellationToken).ConfigureAwait(false);
                LogProvisioned(logger, service.Name, accounts.Count);
            }
        }

        foreach (var database in resources.OfType<PostgresDatabaseResource>())
        {
            var server = (await database.Server.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false))!;
            var connection = (await database.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false))!;
            var accounts = await AppAccounts.OfDatabaseAsync(database, resources, cancellationToken).ConfigureAwait(false);
            await RetryAsync(database.Name, logger, async ct =>
            {
                await PostgresDatabases.EnsureCreatedAsync(server, database.DatabaseName, ct).ConfigureAwait(false);
                await PostgresProvisioner.ProvisionDatabaseAsync(connection, database.DatabaseName, accounts, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            LogProvisioned(logger, database.Name, accounts.Count);
        }
    }

    // The services report healthy before they accept every kind of client; try again for a while.
    private static async Task RetryAsync(string resource, ILogger logger, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < Attempts && e is not OperationCanceledException and not MindoraHostingException)
            {
                LogRetrying(logger, resource, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: accounts of {Count} app(s) in place")]
    private static partial void LogProvisioned(ILogger logger, string resource, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} not ready yet ({Reason}); retrying")]
    private static partial void LogRetrying(ILogger logger, string resource, string reason);
}
