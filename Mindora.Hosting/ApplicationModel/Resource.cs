namespace Mindora.Hosting.ApplicationModel;

/// <summary>A named part of the stack: a server, a database, a project, a parameter.</summary>
public interface IResource
{
    /// <summary>The unique name of the resource in its model.</summary>
    string Name { get; }

    /// <summary>A short, lowercase word for what the resource is, e.g. <c>redis</c> or <c>project</c>.</summary>
    string Kind { get; }

    /// <summary>What has been declared about the resource (endpoints, environment, waits, …).</summary>
    IList<IResourceAnnotation> Annotations { get; }
}

/// <summary>A marker for anything attached to a resource.</summary>
#pragma warning disable CA1040 // A marker interface keeps annotations discoverable by type, as in Aspire.
public interface IResourceAnnotation;
#pragma warning restore CA1040

/// <summary>The base class of every resource: a name and its annotations.</summary>
public abstract class Resource : IResource
{
    /// <summary>Creates the resource. Names are validated when the model is built.</summary>
    protected Resource(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <inheritdoc />
    public IList<IResourceAnnotation> Annotations { get; } = new List<IResourceAnnotation>();

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{Name}'";
}

/// <summary>Helpers to read annotations by type.</summary>
public static class ResourceAnnotationExtensions
{
    /// <summary>All annotations of type <typeparamref name="T"/>, in declaration order.</summary>
    public static IEnumerable<T> AnnotationsOf<T>(this IResource resource)
        where T : IResourceAnnotation
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Annotations.OfType<T>();
    }

    /// <summary>The last annotation of type <typeparamref name="T"/>, or null.</summary>
    public static T? LastAnnotationOf<T>(this IResource resource)
        where T : class, IResourceAnnotation
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Annotations.OfType<T>().LastOrDefault();
    }
}
