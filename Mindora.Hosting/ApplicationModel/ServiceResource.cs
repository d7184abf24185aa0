namespace Mindora.Hosting.ApplicationModel;

/// <summary>How a resource runs in this stack.</summary>
public enum RuntimeKind
{
    /// <summary>An official image in a Docker or Podman engine.</summary>
    Container,

    /// <summary>A locally installed server, or a project, as a child process.</summary>
    Process,

    /// <summary>Nothing runs: the SDK's embedded providers serve the resource from a directory.</summary>
    Embedded,
}

/// <summary>Where a backing service was placed for this run, and why.</summary>
/// <param name="Kind">The runtime chosen.</param>
/// <param name="Reason">Why it was chosen, for the dashboard (e.g. "no container engine answered").</param>
/// <param name="DataDirectory">The resource's data directory on this machine.</param>
public sealed record RuntimePlacement(RuntimeKind Kind, string Reason, string DataDirectory);

/// <summary>How a backing service runs from its official image (container runtime and production).</summary>
/// <param name="Image">The image, e.g. <c>docker.io/library/redis</c>.</param>
/// <param name="Tag">The pinned tag.</param>
/// <param name="DataPath">Where the image keeps its data (a volume's target).</param>
/// <param name="Environment">The container's environment; values may refer to parameters.</param>
/// <param name="Arguments">Arguments after the image's entry point.</param>
/// <param name="HealthCheck">A shell command that succeeds once the server answers; it may read the container's environment ($VAR).</param>
/// <param name="Tunables">
/// Environment variables a deployer may change (a JVM heap, say): their values here are defaults,
/// and the compose publisher makes each a <c>.env</c> setting named after the service and the
/// setting's suffix (<c>ES_JAVA_OPTS</c> → <c>JAVA_OPTS</c> gives <c>ELASTICSEARCH_JAVA_OPTS</c>).
/// </param>
/// <param name="PublicPort">
/// A port that clients outside the backend network (browsers) must reach directly, e.g. the S3 API
/// that signed links point to. Every other backing service stays private to the backend network.
/// </param>
public sealed record ContainerSpec(
    string Image,
    string Tag,
    string DataPath,
    IReadOnlyDictionary<string, ReferenceExpression> Environment,
    IReadOnlyList<ReferenceExpression> Arguments,
    string HealthCheck,
    IReadOnlyDictionary<string, TunableSetting>? Tunables = null,
    PublicPort? PublicPort = null);

/// <summary>A container port published to the host, and the setting that tells apps its outside address.</summary>
/// <param name="ContainerPort">The port inside the container.</param>
/// <param name="Purpose">What clients reach there, for the comments in <c>.env.example</c> (e.g. "S3 API").</param>
/// <param name="AppSetting">
/// The configuration key an app that references the service receives with the URL outside clients
/// use (e.g. <c>Mindora__Files__PublicEndpoint</c>), since the backend network's name means nothing to a browser.
/// </param>
public sealed record PublicPort(int ContainerPort, string Purpose, string AppSetting);

/// <summary>The <c>.env</c> setting a tunable container variable becomes.</summary>
/// <param name="Suffix">Appended to the service's variable prefix.</param>
/// <param name="Description">The comment above it in <c>.env.example</c>.</param>
public sealed record TunableSetting(string Suffix, string Description);

/// <summary>
/// A backing service (PostgreSQL, Redis, RabbitMQ, Elasticsearch, Qdrant, MinIO). It runs as a
/// container, a process or embedded; its connection string follows where it runs.
/// </summary>
public abstract class ServiceResource : Resource, IResourceWithEndpoints, IResourceWithEnvironment, IResourceWithWaitSupport, IResourceWithAppCredentials
{
    /// <summary>Creates the service resource.</summary>
    protected ServiceResource(string name)
        : base(name)
    {
        DataDirectory = new DataDirectoryReference(this);
    }

    /// <summary>The official image and how to run it, for the container runtime and production.</summary>
    public abstract ContainerSpec Container { get; }

    /// <summary>The connection string when a real server runs (container or process).</summary>
    protected abstract ReferenceExpression ServerConnectionString { get; }

    /// <summary>Where the resource runs in this run; null until the orchestrator places it (and when publishing).</summary>
    public RuntimePlacement? Placement { get; internal set; }

    /// <summary>The resource's data directory, as a value for expressions.</summary>
    public DataDirectoryReference DataDirectory { get; }

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression =>
        Placement?.Kind == RuntimeKind.Embedded
            ? ReferenceExpression.Create($"Embedded={DataDirectory}")
            : ServerConnectionString;

    /// <summary>A reference to one of the resource's endpoints.</summary>
    public EndpointReference GetEndpoint(string name) => new(this, name);

    /// <summary>Whether the server gives each app its own user (PostgreSQL, Redis, RabbitMQ).</summary>
    public virtual bool SupportsAppCredentials => false;

    /// <summary>The password of each app's user, by app name (generated, kept with the AppHost's secrets).</summary>
    public IDictionary<string, ParameterResource> AppPasswords { get; } = new Dictionary<string, ParameterResource>(StringComparer.Ordinal);

    /// <summary>The user name app <paramref name="app"/> gets on this server.</summary>
    public virtual string AppUserName(string app) => app;

    /// <inheritdoc />
    public ReferenceExpression? AppConnectionStringExpression(string app) =>
        Placement?.Kind != RuntimeKind.Embedded && AppPasswords.TryGetValue(app, out var password)
            ? ServerAppConnectionString(AppUserName(app), password)
            : null;

    /// <summary>The server connection string for one app's user.</summary>
    protected virtual ReferenceExpression? ServerAppConnectionString(string user, ParameterResource password) => null;
}

/// <summary>The data directory a service was given in this run.</summary>
public sealed class DataDirectoryReference : IValueProvider, IManifestExpressionProvider
{
    internal DataDirectoryReference(ServiceResource resource) => Resource = resource;

    /// <summary>The resource.</summary>
    public ServiceResource Resource { get; }

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(Resource.Placement?.DataDirectory
            ?? throw new InvalidOperationException($"{Resource} has no data directory yet: it is placed when the stack starts."));

    /// <inheritdoc />
    public string ValueExpression => $"{{{Resource.Name}.dataDirectory}}";
}
