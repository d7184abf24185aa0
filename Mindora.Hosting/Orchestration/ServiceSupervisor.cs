using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;
using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting;

/// <summary>Runs a backing service on the runtime it was placed on.</summary>
internal sealed class ServiceSupervisor(ServiceResource service, IServiceRuntime runtime, OrchestratorContext context)
    : ResourceSupervisor(service, context)
{
    protected override async Task<IRunningService> LaunchAsync(CancellationToken cancellationToken)
    {
        var placement = service.Placement ?? throw new InvalidOperationException($"{service} was not placed on a runtime.");
        var start = new ServiceStartContext(
            placement.DataDirectory,
            (stream, text) => Context.Logs.Write(service.Name, stream, text),
            Context.Options.ShutdownTimeout,
            service.LastAnnotationOf<DataVolumeAnnotation>() is not null);
        var instance = await runtime.StartAsync(service, start, cancellationToken).ConfigureAwait(false);
        if (placement.Kind == RuntimeKind.Embedded || service.AppPasswords.Count == 0
            || Context.Provisioners.FirstOrDefault(p => p.Handles(service)) is not { } provisioner)
        {
            return instance;
        }

        return new ProvisionedService(instance, async ct =>
        {
            var accounts = await AppAccounts.OfServiceAsync(service, ct).ConfigureAwait(false);
            await provisioner.ProvisionAsync(service, accounts, ct).ConfigureAwait(false);
            Log($"Accounts of apps {string.Join(", ", accounts.Select(a => $"'{a.App}' ({a.User})"))} are in place.");
        });
    }

    protected override IReadOnlyList<EndpointSnapshot> DescribeEndpoints() =>
        service.Placement?.Kind == RuntimeKind.Embedded
            ? [new EndpointSnapshot("data", new Uri(service.Placement.DataDirectory).AbsoluteUri)]
            : base.DescribeEndpoints();
}
