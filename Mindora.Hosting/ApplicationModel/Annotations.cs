namespace Mindora.Hosting.ApplicationModel;

/// <summary>An environment variable given to a resource; the value may be a late-evaluated expression.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">The value: a literal, or a provider resolved at start.</param>
public sealed record EnvironmentAnnotation(string Name, IValueProvider Value) : IResourceAnnotation;

/// <summary>The resource must not start before <paramref name="Target"/> is healthy.</summary>
/// <param name="Target">The resource waited for.</param>
public sealed record WaitAnnotation(IResource Target) : IResourceAnnotation;

/// <summary>The resource uses <paramref name="Target"/> (its connection string or its endpoints).</summary>
/// <param name="Target">The referenced resource.</param>
public sealed record ReferenceAnnotation(IResource Target) : IResourceAnnotation;

/// <summary>The resource's data outlives a run (a named volume, or a kept directory).</summary>
/// <param name="Name">The volume's name, or null for the default <c>{resource}-data</c>.</param>
public sealed record DataVolumeAnnotation(string? Name) : IResourceAnnotation;

/// <summary>The resource is healthy when an HTTP GET on <paramref name="Path"/> answers 2xx.</summary>
/// <param name="Path">The path to probe, e.g. <c>/health</c>.</param>
/// <param name="EndpointName">The endpoint to probe.</param>
public sealed record HttpHealthCheckAnnotation(string Path, string EndpointName) : IResourceAnnotation;

/// <summary>A literal value as a provider.</summary>
public sealed class LiteralValue : IValueProvider, IManifestExpressionProvider
{
    /// <summary>Wraps <paramref name="value"/>.</summary>
    public LiteralValue(string value) => Value = value;

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(Value);

    /// <inheritdoc />
    public string ValueExpression => Value;
}

/// <summary>The project or executable belongs to Mindora app <paramref name="AppName"/>.</summary>
/// <param name="AppName">The app's name, as the app passes it to <c>AddMindora</c>.</param>
public sealed record MindoraAppAnnotation(string AppName) : IResourceAnnotation;

/// <summary>
/// The connection string of a resource, as a value for expressions and environment. When the
/// consumer belongs to a Mindora app and the resource gives apps their own credentials, it is
/// that app's connection string.
/// </summary>
public sealed class ConnectionStringReference : IValueProvider, IManifestExpressionProvider
{
    /// <summary>Refers to <paramref name="resource"/>'s connection string, as <paramref name="consumer"/> uses it.</summary>
    public ConnectionStringReference(IResourceWithConnectionString resource, IResource? consumer = null)
    {
        Resource = resource;
        Consumer = consumer;
    }

    /// <summary>The resource.</summary>
    public IResourceWithConnectionString Resource { get; }

    /// <summary>The resource that uses the connection string, if known.</summary>
    public IResource? Consumer { get; }

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default)
    {
        // Read when the value is needed: WithMindoraApp may be declared after WithReference.
        return AppExpressionOrDefault().GetValueAsync(context, cancellationToken);
    }

    /// <inheritdoc />
    public string ValueExpression => AppExpression()?.ValueExpression ?? $"{{{Resource.Name}.connectionString}}";

    /// <summary>The expression this reference stands for: the consumer's app credentials, or the resource's own.</summary>
    public ReferenceExpression AppExpressionOrDefault() => AppExpression() ?? Resource.ConnectionStringExpression;

    private ReferenceExpression? AppExpression() =>
        Consumer?.LastAnnotationOf<MindoraAppAnnotation>()?.AppName is { } app && Resource is IResourceWithAppCredentials perApp
            ? perApp.AppConnectionStringExpression(app)
            : null;
}
