using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Runs backing services from servers installed on this machine (Debian's postgresql,
/// redis-server, rabbitmq-server; qdrant and minio binaries on PATH; an unpacked Elasticsearch),
/// each as a child process with its own data directory and free loopback ports.
/// </summary>
internal sealed class ProcessRuntime(IReadOnlyList<IServerLauncher> launchers) : IServiceRuntime
{
    public RuntimeKind Kind => RuntimeKind.Process;

    public Task<RuntimeAvailability> CheckAvailabilityAsync(ServiceResource resource, CancellationToken cancellationToken) =>
        Task.FromResult(Launcher(resource)?.CheckAvailability(resource)
            ?? new RuntimeAvailability(false, $"no process launcher for {resource.Kind} in this version"));

    public Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken) =>
        (Launcher(resource) ?? throw new MindoraHostingException($"Resource '{resource.Name}': no process launcher for {resource.Kind}."))
            .StartAsync(resource, context, cancellationToken);

    private IServerLauncher? Launcher(ServiceResource resource) => launchers.FirstOrDefault(l => l.Handles(resource));
}
