namespace Mindora.Hosting.ApplicationModel;

/// <summary>Whether a service's container outlives the AppHost (container runtime only).</summary>
public enum ContainerLifetime
{
    /// <summary>Created at start, removed at stop.</summary>
    Session,

    /// <summary>Kept running across AppHost runs; recreated when its configuration changes.</summary>
    Persistent,
}

/// <summary>The container lifetime of a service.</summary>
/// <param name="Lifetime">The lifetime.</param>
public sealed record ContainerLifetimeAnnotation(ContainerLifetime Lifetime) : IResourceAnnotation;
