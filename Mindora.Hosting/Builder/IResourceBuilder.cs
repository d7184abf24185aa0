using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>Holds a resource while the model is declared; every With* method is an extension on it.</summary>
/// <typeparam name="T">The resource's type.</typeparam>
public interface IResourceBuilder<out T>
    where T : IResource
{
    /// <summary>The resource being declared.</summary>
    T Resource { get; }

    /// <summary>The application builder the resource belongs to.</summary>
    MindoraApplicationBuilder ApplicationBuilder { get; }
}

internal sealed class ResourceBuilder<T>(T resource, MindoraApplicationBuilder applicationBuilder) : IResourceBuilder<T>
    where T : IResource
{
    public T Resource { get; } = resource;

    public MindoraApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;
}
