using System.Globalization;

namespace Mindora.Hosting.ApplicationModel;

/// <summary>A network endpoint a resource declares.</summary>
public sealed class EndpointAnnotation : IResourceAnnotation
{
    /// <summary>Declares an endpoint.</summary>
    /// <param name="name">The endpoint's name, unique within its resource (e.g. <c>http</c>, <c>tcp</c>).</param>
    /// <param name="scheme">The URL scheme clients use (<c>http</c>, <c>tcp</c>, <c>amqp</c>).</param>
    /// <param name="port">A fixed host port, or null for a free one chosen at start.</param>
    /// <param name="targetPort">The port inside a container, when one runs.</param>
    public EndpointAnnotation(string name, string scheme, int? port = null, int? targetPort = null)
    {
        Name = name;
        Scheme = scheme;
        Port = port;
        TargetPort = targetPort;
    }

    /// <summary>The endpoint's name.</summary>
    public string Name { get; }

    /// <summary>The URL scheme.</summary>
    public string Scheme { get; }

    /// <summary>The fixed host port, when one was asked for.</summary>
    public int? Port { get; set; }

    /// <summary>The port inside a container.</summary>
    public int? TargetPort { get; }

    /// <summary>Whether the endpoint is published to the outside in production.</summary>
    public bool IsExternal { get; set; }

    /// <summary>Where the endpoint listens in this run; set by the orchestrator before use.</summary>
    public AllocatedEndpoint? Allocated { get; internal set; }
}

/// <summary>The host and port an endpoint got in this run.</summary>
/// <param name="Scheme">The URL scheme.</param>
/// <param name="Host">The host (always loopback when run locally).</param>
/// <param name="Port">The port.</param>
public sealed record AllocatedEndpoint(string Scheme, string Host, int Port)
{
    /// <summary>The endpoint as a URL, e.g. <c>http://127.0.0.1:5180</c>.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"{Scheme}://{Host}:{Port}");
}

/// <summary>The parts of an endpoint an expression can refer to.</summary>
public enum EndpointProperty
{
    /// <summary><c>scheme://host:port</c>.</summary>
    Url,

    /// <summary>The host.</summary>
    Host,

    /// <summary>The port.</summary>
    Port,

    /// <summary><c>host:port</c>.</summary>
    HostAndPort,
}

/// <summary>A reference to one endpoint of a resource, resolved late.</summary>
public sealed class EndpointReference : IValueProvider, IManifestExpressionProvider
{
    /// <summary>Refers to the endpoint <paramref name="endpointName"/> of <paramref name="resource"/>.</summary>
    public EndpointReference(IResourceWithEndpoints resource, string endpointName)
    {
        Resource = resource;
        EndpointName = endpointName;
    }

    /// <summary>The resource that owns the endpoint.</summary>
    public IResourceWithEndpoints Resource { get; }

    /// <summary>The endpoint's name.</summary>
    public string EndpointName { get; }

    /// <summary>The declared endpoint.</summary>
    public EndpointAnnotation Annotation =>
        Resource.AnnotationsOf<EndpointAnnotation>().SingleOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"{Resource} has no endpoint named '{EndpointName}'.");

    /// <summary>Where the endpoint listens; throws when the stack has not allocated it yet.</summary>
    public AllocatedEndpoint Allocated => Annotation.Allocated
        ?? throw new InvalidOperationException($"Endpoint '{EndpointName}' of {Resource} has no address yet: it is allocated when the resource starts.");

    /// <summary>One part of the endpoint, as a value for expressions.</summary>
    public EndpointPropertyReference Property(EndpointProperty property) => new(this, property);

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default) =>
        Property(EndpointProperty.Url).GetValueAsync(context, cancellationToken);

    /// <inheritdoc />
    public string ValueExpression => Property(EndpointProperty.Url).ValueExpression;
}

/// <summary>One part (url, host, port) of an endpoint, resolved late.</summary>
public sealed class EndpointPropertyReference : IValueProvider, IManifestExpressionProvider
{
    internal EndpointPropertyReference(EndpointReference endpoint, EndpointProperty property)
    {
        Endpoint = endpoint;
        Property = property;
    }

    /// <summary>The endpoint.</summary>
    public EndpointReference Endpoint { get; }

    /// <summary>Which part of it.</summary>
    public EndpointProperty Property { get; }

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default)
    {
        var allocated = Endpoint.Allocated;
        string value = Property switch
        {
            EndpointProperty.Url => allocated.Url,
            EndpointProperty.Host => allocated.Host,
            EndpointProperty.Port => allocated.Port.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.HostAndPort => string.Create(CultureInfo.InvariantCulture, $"{allocated.Host}:{allocated.Port}"),
            _ => throw new ArgumentOutOfRangeException(nameof(context)),
        };
        return ValueTask.FromResult<string?>(value);
    }

    /// <inheritdoc />
    public string ValueExpression
    {
        get
        {
            var prefix = $"{{{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}";
            return Property switch
            {
                EndpointProperty.Url => prefix + ".url}",
                EndpointProperty.Host => prefix + ".host}",
                EndpointProperty.Port => prefix + ".port}",
                EndpointProperty.HostAndPort => prefix + ".host}:" + prefix + ".port}",
                _ => throw new InvalidOperationException($"Unknown endpoint property {Property}."),
            };
        }
    }
}
