using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>The lifecycle state of a resource.</summary>
public enum ResourceState
{
    /// <summary>Declared, not started yet.</summary>
    NotStarted,

    /// <summary>Held back until the resources it waits for are healthy.</summary>
    Waiting,

    /// <summary>Being started.</summary>
    Starting,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Being stopped.</summary>
    Stopping,

    /// <summary>Stopped by the AppHost.</summary>
    Stopped,

    /// <summary>Ended on its own (a crash, or a dependency that failed); may be restarted.</summary>
    Exited,

    /// <summary>Could not be started.</summary>
    Failed,
}

/// <summary>Whether a running resource answers its health probe.</summary>
public enum ResourceHealth
{
    /// <summary>Not probed yet, or not running.</summary>
    Unknown,

    /// <summary>The probe passed.</summary>
    Healthy,

    /// <summary>The probe failed.</summary>
    Unhealthy,
}

/// <summary>An endpoint as the dashboard shows it.</summary>
/// <param name="Name">The endpoint's name.</param>
/// <param name="Url">Where it is reached.</param>
public sealed record EndpointSnapshot(string Name, string Url);

/// <summary>An environment variable as the dashboard shows it (secrets masked).</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">Its value, with every secret replaced by a mask.</param>
/// <param name="IsSecret">Whether the value held a secret.</param>
public sealed record EnvironmentVariableSnapshot(string Name, string Value, bool IsSecret);

/// <summary>Everything known about a resource at one moment; immutable, replaced on every change.</summary>
public sealed record ResourceSnapshot
{
    /// <summary>The resource's name.</summary>
    public required string Name { get; init; }

    /// <summary>What the resource is (<c>redis</c>, <c>project</c>, …).</summary>
    public required string Kind { get; init; }

    /// <summary>How it runs, once placed.</summary>
    public RuntimeKind? Runtime { get; init; }

    /// <summary>Why it runs that way.</summary>
    public string? RuntimeReason { get; init; }

    /// <summary>The lifecycle state.</summary>
    public ResourceState State { get; init; }

    /// <summary>The health.</summary>
    public ResourceHealth Health { get; init; }

    /// <summary>What the last probe said, when it failed.</summary>
    public string? HealthDescription { get; init; }

    /// <summary>Where the resource is reached.</summary>
    public IReadOnlyList<EndpointSnapshot> Endpoints { get; init; } = [];

    /// <summary>When the current run of the resource started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it stopped or exited.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The exit code of its last process.</summary>
    public int? ExitCode { get; init; }

    /// <summary>How many times it was restarted after a crash.</summary>
    public int Restarts { get; init; }

    /// <summary>The process id, for process resources.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The resources this one waits for.</summary>
    public IReadOnlyList<string> WaitsFor { get; init; } = [];

    /// <summary>The resource this one lives in, if any.</summary>
    public string? Parent { get; init; }

    /// <summary>Why the resource failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>The environment given to the resource (projects), secrets masked.</summary>
    public IReadOnlyList<EnvironmentVariableSnapshot> Environment { get; init; } = [];

    /// <summary>True when the resource is running and healthy.</summary>
    public bool IsHealthy => State == ResourceState.Running && Health == ResourceHealth.Healthy;
}
