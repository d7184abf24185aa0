using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes;

/// <summary>
/// Nothing runs: the resource is a directory that the SDK's embedded providers use from every
/// process of this machine. Always available.
/// </summary>
internal sealed class EmbeddedRuntime : IServiceRuntime
{
    public RuntimeKind Kind => RuntimeKind.Embedded;

    public Task<RuntimeAvailability> CheckAvailabilityAsync(ServiceResource resource, CancellationToken cancellationToken) =>
        Task.FromResult(new RuntimeAvailability(true, "embedded stores in the data directory"));

    public Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(context.DataDirectory);
        context.Log(LogOrigin.System, $"Serving {resource.Kind} '{resource.Name}' embedded from {context.DataDirectory}");
        return Task.FromResult<IRunningService>(new EmbeddedService(context.DataDirectory));
    }

    private sealed class EmbeddedService(string directory) : IRunningService
    {
        private readonly TaskCompletionSource<int> _neverExits = new();

        public int? ProcessId => null;

        public Task<int> Exited => _neverExits.Task;

        public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken) =>
            EmbeddedStoreProbe.ProbeAsync(directory, cancellationToken);

        public Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
