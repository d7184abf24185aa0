using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;

namespace Mindora.Hosting;

/// <summary>Runs a backing service on the runtime it was placed on.</summary>
internal sealed class ServiceSupervisor(ServiceResource service, IServiceRuntime runtime, OrchestratorContext context)
    : ResourceSupervisor(service, context)
{
    protected override Task<IRunningService> LaunchAsync(CancellationToken cancellationToken)
    {
        var placement = service.Placement ?? throw new InvalidOperationException($"{service} was not placed on a runtime.");
        var start = new ServiceStartContext(
            placement.DataDirectory,
            (stream, text) => Context.Logs.Write(service.Name, stream, text),
            Context.Options.ShutdownTimeout,
            service.LastAnnotationOf<DataVolumeAnnotation>() is not null);
        return runtime.StartAsync(service, start, cancellationToken);
    }

    protected override IReadOnlyList<EndpointSnapshot> DescribeEndpoints() =>
        service.Placement?.Kind == RuntimeKind.Embedded
            ? [new EndpointSnapshot("data", new Uri(service.Placement.DataDirectory).AbsoluteUri)]
            : base.DescribeEndpoints();
}
