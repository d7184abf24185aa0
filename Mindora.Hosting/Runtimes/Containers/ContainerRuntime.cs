using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.Containers;

/// <summary>
/// Runs backing services as containers of their official images in Docker or Podman. The
/// container is attached to a client process (so its output is the resource's log and its exit
/// is the resource's exit); a session container is stopped and removed with the AppHost, a
/// persistent one keeps running and is reused while its configuration is unchanged.
/// </summary>
internal sealed class ContainerRuntime(ProcessReaper reaper, HttpClient http, string? forcedEngine) : IServiceRuntime
{
    private readonly Lazy<Task<(ContainerEngine? Engine, string Reason)>> _engine = new(() => ContainerEngine.DetectAsync(forcedEngine, CancellationToken.None));

    public RuntimeKind Kind => RuntimeKind.Container;

    public async Task<RuntimeAvailability> CheckAvailabilityAsync(ServiceResource resource, CancellationToken cancellationToken)
    {
        var (engine, reason) = await _engine.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeAvailability(engine is not null, engine is null ? $"no container engine answered ({reason})" : $"{reason}, image {resource.Container.Image}:{resource.Container.Tag}");
    }

    public async Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var (engine, reason) = await _engine.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (engine is null)
        {
            throw new MindoraHostingException($"No container engine: {reason}.");
        }

        var persistent = resource.LastAnnotationOf<ContainerLifetimeAnnotation>()?.Lifetime == ContainerLifetime.Persistent;
        var name = ContainerRunArguments.ContainerName(resource, context.DataDirectory);
        var existing = await InspectConfigurationAsync(engine, name, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> arguments;
        if (persistent && existing == ContainerRunArguments.ConfigurationHash(resource))
        {
            context.Log(LogOrigin.System, $"Reusing the persistent container {name}.");
            arguments = ["start", "--attach", name];
        }
        else
        {
            if (existing is not null)
            {
                context.Log(LogOrigin.System, persistent ? $"The configuration of {name} changed: recreating it." : $"Removing {name}, left by an earlier run.");
                await CommandRunner.RunAsync(engine.Client, ["rm", "--force", name], cancellationToken).ConfigureAwait(false);
            }

            arguments = ContainerRunArguments.For(resource, name, context.DataDirectory, persistent);
        }

        // A persistent container must not stop with its client: no signal proxying.
        var clientArguments = persistent && arguments[0] == "run" ? ["run", "--sig-proxy=false", .. arguments.Skip(1)] : arguments;
        var environment = new Dictionary<string, string?>();
        foreach (var (variable, value) in resource.Container.Environment)
        {
            environment[variable] = await value.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false);
        }

        var client = ChildProcess.Start(
            new ChildProcessSpec(engine.Client, clientArguments, Directory.CreateDirectory(context.DataDirectory).FullName, environment),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningContainer(engine, name, persistent, client, ServiceProbes.For(resource, http));
    }

    private static async Task<string?> InspectConfigurationAsync(ContainerEngine engine, string name, CancellationToken cancellationToken)
    {
        var inspect = await CommandRunner.RunAsync(
            engine.Client,
            ["inspect", "--format", $"{{{{index .Config.Labels \"{ContainerRunArguments.ConfigurationLabel}\"}}}}", name],
            cancellationToken).ConfigureAwait(false);
        return inspect.Succeeded ? inspect.Output.Trim() : null;
    }

    private sealed class RunningContainer(ContainerEngine engine, string name, bool persistent, ChildProcess client, Func<CancellationToken, Task<ProbeResult>> probe) : IRunningService
    {
        public int? ProcessId => client.Id;

        public Task<int> Exited => client.Exited;

        public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => probe(cancellationToken);

        public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!persistent)
            {
                // The engine stops the container (SIGTERM, then SIGKILL after the timeout); --rm removes it.
                var seconds = ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await CommandRunner.RunAsync(engine.Client, ["stop", "--time", seconds, name], cancellationToken).ConfigureAwait(false);
            }

            // A persistent container keeps running; only its attached client goes.
            await client.StopAsync(timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
