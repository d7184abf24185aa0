using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>The With* methods shared by every kind of resource.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Attaches an annotation.</summary>
    public static IResourceBuilder<T> WithAnnotation<T>(this IResourceBuilder<T> builder, IResourceAnnotation annotation)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Annotations.Add(annotation);
        return builder;
    }

    /// <summary>Gives the resource <c>ConnectionStrings__{name}</c> with <paramref name="source"/>'s connection string.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        var name = connectionName ?? source.Resource.Name;
        return builder
            .WithAnnotation(new ReferenceAnnotation(source.Resource))
            .WithAnnotation(new EnvironmentAnnotation($"ConnectionStrings__{name}", new ConnectionStringReference(source.Resource, builder.Resource)));
    }

    /// <summary>Gives the resource <c>services__{project}__{endpoint}__0</c> for every endpoint of <paramref name="source"/>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> source)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.WithAnnotation(new ReferenceAnnotation(source.Resource));
        foreach (var endpoint in source.Resource.AnnotationsOf<EndpointAnnotation>())
        {
            builder.WithAnnotation(new EnvironmentAnnotation(
                $"services__{source.Resource.Name}__{endpoint.Name}__0",
                source.Resource.GetEndpoint(endpoint.Name)));
        }

        return builder;
    }

    /// <summary>
    /// The resource belongs to Mindora app <paramref name="appName"/> (the name it passes to
    /// <c>AddMindora</c>, also given as <c>Mindora__App</c>). Servers it references that isolate
    /// apps by credentials (PostgreSQL, Redis, RabbitMQ) get a user for the app, and its
    /// connection strings carry that user.
    /// </summary>
    public static IResourceBuilder<T> WithMindoraApp<T>(this IResourceBuilder<T> builder, string appName)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new MindoraAppAnnotation(appName)).WithEnvironment("Mindora__App", appName);

    /// <summary>Holds the resource back until <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(dependency);
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource));
    }

    /// <summary>Sets an environment variable to a literal value.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentAnnotation(name, new LiteralValue(value)));

    /// <summary>Sets an environment variable to a parameter's value (masked in the dashboard when secret).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return builder.WithAnnotation(new EnvironmentAnnotation(name, parameter.Resource));
    }

    /// <summary>Sets an environment variable to an expression evaluated at start.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ReferenceExpression expression)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentAnnotation(name, expression));

    /// <summary>Sets an environment variable to an endpoint's URL.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, EndpointReference endpoint)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentAnnotation(name, endpoint));

    /// <summary>Declares an endpoint.</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, int? port = null, int? targetPort = null)
        where T : IResourceWithEndpoints =>
        builder.WithAnnotation(new EndpointAnnotation(name, scheme, port, targetPort));

    /// <summary>Declares an HTTP endpoint; without a port, a free one is chosen at start.</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, string name = "http", int? targetPort = null)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(name, "http", port, targetPort);

    /// <summary>Marks every HTTP endpoint as published to the outside in production.</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var endpoint in builder.Resource.AnnotationsOf<EndpointAnnotation>().Where(e => e.Scheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }

        return builder;
    }

    /// <summary>The resource is healthy when GET <paramref name="path"/> on its endpoint answers 2xx.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health", string endpointName = "http")
        where T : IResourceWithEndpoints =>
        builder.WithAnnotation(new HttpHealthCheckAnnotation(path, endpointName));

    /// <summary>With the container runtime: keep the container across AppHost runs (recreated when its configuration changes).</summary>
    public static IResourceBuilder<T> WithLifetime<T>(this IResourceBuilder<T> builder, ContainerLifetime lifetime)
        where T : ServiceResource =>
        builder.WithAnnotation(new ContainerLifetimeAnnotation(lifetime));

    /// <summary>Keeps the resource's data across AppHost restarts (a named volume; a kept directory when embedded or a process).</summary>
    public static IResourceBuilder<T> WithDataVolume<T>(this IResourceBuilder<T> builder, string? name = null)
        where T : ServiceResource =>
        builder.WithAnnotation(new DataVolumeAnnotation(name));
}
