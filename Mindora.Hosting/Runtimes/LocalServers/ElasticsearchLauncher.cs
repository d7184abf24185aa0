using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Elasticsearch from an unpacked distribution (<see cref="ElasticsearchDistribution.Find"/>):
/// its own ES_PATH_CONF under the resource's data directory, the <c>elastic</c> password through
/// the keystore, run as <c>mindora-es</c> when the AppHost is root. Ready when
/// GET /_cluster/health?wait_for_status=yellow answers 200 to the <c>elastic</c> user.
/// </summary>
/// <param name="reaper">Tracks the node's process group.</param>
/// <param name="ports">Gives the transport port.</param>
/// <param name="probeClient">Sends the readiness checks.</param>
/// <param name="configuredHome"><c>Mindora:Elasticsearch:Home</c>, if set.</param>
/// <param name="heapMegabytes">The JVM heap (<c>Mindora:Elasticsearch:HeapMegabytes</c>).</param>
/// <param name="runner">Runs useradd and elasticsearch-keystore.</param>
internal sealed class ElasticsearchLauncher(ProcessReaper reaper, PortAllocator ports, HttpClient probeClient, string? configuredHome, int heapMegabytes, ICommandRunner runner) : IServerLauncher
{
    public bool Handles(ServiceResource resource) => resource is ElasticsearchResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource)
    {
        var (distribution, reason) = Find();
        if (distribution is null)
        {
            return new RuntimeAvailability(false, reason);
        }

        return ElasticsearchAccount.Unavailable(ServiceAccount.IsRoot, ServiceAccount.Exists, distribution) is { } refused
            ? new RuntimeAvailability(false, refused)
            : new RuntimeAvailability(true, $"Elasticsearch {distribution.Version ?? "(version unknown)"} at {distribution.Home}");
    }

    public async Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var elastic = (ElasticsearchResource)resource;
        var distribution = Find().Distribution ?? throw new MindoraHostingException("No Elasticsearch distribution is installed.");
        var isRoot = ServiceAccount.IsRoot;
        void Log(string line) => context.Log(LogOrigin.System, line);

        await ElasticsearchAccount.EnsureAsync(runner, isRoot, ServiceAccount.Exists, Log, cancellationToken).ConfigureAwait(false);
        var layout = new ElasticsearchLayout(ServiceAccount.ReachableDirectory(context.DataDirectory));
        if (layout.Root != context.DataDirectory)
        {
            Log($"The data directory is not reachable by the '{ElasticsearchAccount.User}' user; Elasticsearch keeps its data in {layout.Root}.");
        }

        foreach (var directory in new[] { layout.Config, layout.Data, layout.Logs, layout.Temp })
        {
            Directory.CreateDirectory(directory);
        }

        var httpPort = elastic.GetEndpoint(ElasticsearchResource.PrimaryEndpointName).Allocated.Port;
        var yaml = ElasticsearchNodeConfig.Yaml(elastic.Name, layout, httpPort, ports.AllocateFree());
        await ElasticsearchNodeConfig.WriteAsync(distribution, layout, yaml, heapMegabytes, cancellationToken).ConfigureAwait(false);
        await ServiceAccount.GiveAsync(ElasticsearchAccount.User, layout.Root, cancellationToken).ConfigureAwait(false);

        var password = await elastic.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        var keystore = ElasticsearchKeystore.Commands(distribution, layout, password, isRoot, ElasticsearchAccount.User);
        await ElasticsearchKeystore.SetPasswordAsync(runner, keystore, password, line => context.Log(LogOrigin.Stdout, line), cancellationToken).ConfigureAwait(false);

        var child = ChildProcess.Start(
            ServerSpec(distribution, layout, isRoot),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(elastic, probeClient))
        {
            // Per-run data moved out of the data directory is not removed with the run: remove it here.
            AfterStop = layout.Root != context.DataDirectory && !context.Persistent ? () => Directory.Delete(layout.Root, recursive: true) : null,
        };
    }

    /// <summary>The node itself: every setting is in its ES_PATH_CONF, so no arguments.</summary>
    internal static ChildProcessSpec ServerSpec(ElasticsearchDistribution distribution, ElasticsearchLayout layout, bool isRoot)
    {
        var (fileName, arguments) = ServiceAccount.As(isRoot, ElasticsearchAccount.User, distribution.Server, []);
        return new ChildProcessSpec(fileName, arguments, layout.Root, Environment(layout));
    }

    /// <summary>The environment of the node and its keystore tool.</summary>
    internal static IReadOnlyDictionary<string, string?> Environment(ElasticsearchLayout layout) => new Dictionary<string, string?>
    {
        ["ES_PATH_CONF"] = layout.Config,
        ["ES_TMPDIR"] = layout.Temp,

        // The heap is the generated jvm.options.d file's: an inherited ES_JAVA_OPTS would override it.
        ["ES_JAVA_OPTS"] = null,
    };

    private (ElasticsearchDistribution? Distribution, string Reason) Find() =>
        ElasticsearchDistribution.Find(configuredHome, System.Environment.GetEnvironmentVariable("ES_HOME"), System.Environment.GetEnvironmentVariable("PATH"));
}
