using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Publishing;

/// <summary>
/// The environment of a project or executable as a publisher writes it: Aspire's variables with
/// placeholders for everything decided at deploy time, then what the model declares.
/// </summary>
internal static class PublishedEnvironment
{
    public static IReadOnlyList<(string Name, string Value)> Of(IResource resource)
    {
        var variables = new List<(string, string)>();
        if (resource is ProjectResource)
        {
            variables.Add(("OTEL_SERVICE_NAME", resource.Name));
            variables.Add(("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory"));
            variables.Add(("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true"));
            if (resource.AnnotationsOf<EndpointAnnotation>().FirstOrDefault(e => e.Scheme == "http") is { } http)
            {
                variables.Add(("HTTP_PORTS", $"{{{resource.Name}.bindings.{http.Name}.targetPort}}"));
            }
        }

        foreach (var annotation in resource.AnnotationsOf<EnvironmentAnnotation>())
        {
            variables.Add((annotation.Name, annotation.Value is IManifestExpressionProvider expression
                ? expression.ValueExpression
                : throw new MindoraHostingException($"Resource '{resource.Name}': the value of {annotation.Name} cannot be published.")));
        }

        return variables;
    }
}
