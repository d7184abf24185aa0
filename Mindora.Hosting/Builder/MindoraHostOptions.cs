using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>Which runtime the AppHost prefers for backing services.</summary>
public enum RuntimePreference
{
    /// <summary>Container if an engine answers, else process if the server is installed, else embedded.</summary>
    Auto,

    /// <summary>Always embedded.</summary>
    Embedded,

    /// <summary>Locally installed servers as processes.</summary>
    Process,

    /// <summary>Containers in Docker or Podman.</summary>
    Container,
}

/// <summary>How the AppHost runs: its command line and <c>Mindora:*</c> configuration, resolved.</summary>
public sealed class MindoraHostOptions
{
    /// <summary>The default dashboard address.</summary>
    public static readonly Uri DefaultDashboardUrl = new("http://127.0.0.1:18888");

    /// <summary>The runtime preference for every backing service (<c>--runtime</c>).</summary>
    public RuntimePreference Runtime { get; set; } = RuntimePreference.Auto;

    /// <summary>Per-resource runtime overrides (<c>Mindora:Resources:{name}:Runtime</c>).</summary>
    public IDictionary<string, RuntimePreference> ResourceRuntimes { get; } = new Dictionary<string, RuntimePreference>(StringComparer.Ordinal);

    /// <summary>The absolute data directory (<c>--data-dir</c>, default <c>.mindora</c> under the current directory).</summary>
    public string DataDirectory { get; set; } = Path.GetFullPath(".mindora");

    /// <summary>Where the dashboard listens (<c>--dashboard-url</c>); port 0 picks a free port.</summary>
    public Uri DashboardUrl { get; set; } = DefaultDashboardUrl;

    /// <summary>Serve the dashboard without a login token (<c>--unsecured</c>), for local scripts.</summary>
    public bool Unsecured { get; set; }

    /// <summary>A service that cannot run on the preferred real runtime is an error instead of falling back to embedded (<c>--strict</c>).</summary>
    public bool Strict { get; set; }

    /// <summary>Replace every fixed port by a free one (<c>--randomize-ports</c>), for tests.</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>How long a stopping resource gets after SIGTERM before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The OTLP endpoint given to apps as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, if any.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// The unpacked Elasticsearch distribution the process runtime runs (<c>Mindora:Elasticsearch:Home</c>);
    /// unset, <c>ES_HOME</c>, then <c>elasticsearch</c> on PATH, then /usr/share/elasticsearch.
    /// </summary>
    public string? ElasticsearchHome { get; set; }

    /// <summary>The JVM heap of a process-run Elasticsearch node, in MiB (<c>Mindora:Elasticsearch:HeapMegabytes</c>, default 512).</summary>
    public int ElasticsearchHeapMegabytes { get; set; } = 512;

    /// <summary>The environment name given to projects (<c>ASPNETCORE_ENVIRONMENT</c>).</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>The runtime preference that applies to <paramref name="resource"/>.</summary>
    public RuntimePreference RuntimeFor(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return ResourceRuntimes.TryGetValue(resource.Name, out var preference) ? preference : Runtime;
    }
}
