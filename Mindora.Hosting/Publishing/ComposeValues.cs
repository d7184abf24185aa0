using System.Globalization;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Publishing;

/// <summary>
/// Renders the model's expressions for docker-compose: a parameter becomes <c>${VARIABLE}</c>
/// read from <c>.env</c> (a secret must be set: <c>${VARIABLE:?…}</c>), an endpoint becomes the
/// service's name and container port on the compose network, and literal text has its <c>$</c>
/// escaped so compose never interpolates it.
/// </summary>
internal static class ComposeValues
{
    /// <summary>The port every project listens on inside its container.</summary>
    public const int ProjectPort = 8080;

    /// <summary>The .env variable of a parameter: its name in upper case with '_' for '-'.</summary>
    public static string VariableOf(ParameterResource parameter) => Variable(parameter.Name);

    public static string Variable(string name) => name.ToUpperInvariant().Replace('-', '_');

    public static string Escape(string literal) => literal.Replace("$", "$$", StringComparison.Ordinal);

    public static string Render(IValueProvider value) => value switch
    {
        ReferenceExpression expression => string.Format(
            CultureInfo.InvariantCulture,
            Escape(expression.Format),
            expression.ValueProviders.Select(p => (object)Render(p)).ToArray()),
        ParameterResource { Secret: true } parameter => $"${{{VariableOf(parameter)}:?set {VariableOf(parameter)} in .env}}",
        ParameterResource parameter => $"${{{VariableOf(parameter)}}}",
        LiteralValue literal => Escape(literal.Value),
        ComposeSettingValue setting => setting.Text,
        ConnectionStringReference reference => Render(reference.AppExpressionOrDefault()),
        EndpointReference endpoint => Render(endpoint.Property(EndpointProperty.Url)),
        EndpointPropertyReference property => Endpoint(property),
        TargetPortReference => ProjectPort.ToString(CultureInfo.InvariantCulture),
        _ => throw new MindoraHostingException($"A value of type {value.GetType().Name} cannot be published to compose."),
    };

    private static string Endpoint(EndpointPropertyReference property)
    {
        var endpoint = property.Endpoint.Annotation;
        var host = property.Endpoint.Resource.Name;
        var port = property.Endpoint.Resource is ProjectResource or ExecutableResource
            ? ProjectPort
            : endpoint.TargetPort ?? throw new MindoraHostingException($"Endpoint '{endpoint.Name}' of '{host}' has no container port.");
        return property.Property switch
        {
            EndpointProperty.Host => host,
            EndpointProperty.Port => port.ToString(CultureInfo.InvariantCulture),
            EndpointProperty.HostAndPort => $"{host}:{port}",
            _ => $"{endpoint.Scheme}://{host}:{port}",
        };
    }
}

/// <summary>Compose text already made for the file (a <c>${VARIABLE:-default}</c> setting): written as it is.</summary>
internal sealed class ComposeSettingValue(string text) : IValueProvider
{
    public string Text => text;

    public ValueTask<string?> GetValueAsync(ValueResolutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(text);
}
