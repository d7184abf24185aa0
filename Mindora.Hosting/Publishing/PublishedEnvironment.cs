using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Publishing;

/// <summary>
/// The environment of a project or executable as publishers write it: Aspire's variables for
/// what is decided at deploy time, then what the model declares. Each publisher renders the
/// values its own way (manifest placeholders, compose variables).
/// </summary>
internal static class PublishedEnvironment
{
    public static IReadOnlyList<(string Name, IValueProvider Value)> Of(IResource resource)
    {
        var variables = new List<(string, IValueProvider)>();
        if (resource is ProjectResource)
        {
            variables.Add(("OTEL_SERVICE_NAME", new LiteralValue(resource.Name)));
            variables.Add(("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", new LiteralValue("in_memory")));
            variables.Add(("ASPNETCORE_FORWARDEDHEADERS_ENABLED", new LiteralValue("true")));
            if (resource.AnnotationsOf<EndpointAnnotation>().FirstOrDefault(e => e.Scheme == "http") is { } http)
            {
                variables.Add(("HTTP_PORTS", new TargetPortReference((IResourceWithEndpoints)resource, http)));
            }
        }

        foreach (var annotation in resource.AnnotationsOf<EnvironmentAnnotation>())
        {
            variables.Add((annotation.Name, annotation.Value));
        }

        return variables;
    }

    /// <summary>The manifest form of a value.</summary>
    public static string ManifestValue(IResource resource, string name, IValueProvider value) =>
        value is IManifestExpressionProvider expression
            ? expression.ValueExpression
            : throw new MindoraHostingException($"Resource '{resource.Name}': the value of {name} cannot be published.");
}

/// <summary>The port a project listens on inside its container, decided at deploy time.</summary>
internal sealed class TargetPortReference(IResourceWithEndpoints resource, EndpointAnnotation endpoint) : IValueProvider, IManifestExpressionProvider
{
    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(ComposeValues.ProjectPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string ValueExpression => $"{{{resource.Name}.bindings.{endpoint.Name}.targetPort}}";
}
