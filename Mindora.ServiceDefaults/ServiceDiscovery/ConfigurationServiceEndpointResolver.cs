using Microsoft.Extensions.Configuration;

namespace Mindora.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves services from configuration in Aspire's layout: <c>services:{service}:{endpoint}:0</c>,
/// i.e. the AppHost's environment variable <c>services__docs-api__http__0=http://localhost:5123</c>.
/// Read on every call, so reloaded configuration takes effect at once.
/// </summary>
internal sealed class ConfigurationServiceEndpointResolver(IConfiguration configuration) : IServiceEndpointResolver
{
    public ValueTask<Uri> ResolveAsync(Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ValueTask.FromResult(Resolve(uri));
    }

    private Uri Resolve(Uri uri)
    {
        if (!uri.IsAbsoluteUri || ServiceUri.Parse(uri) is not { } target)
        {
            return uri;
        }

        var service = configuration.GetSection("services").GetSection(target.ServiceName);
        if (!service.GetChildren().Any())
        {
            // Not a configured service: a DNS name or address, sent as it is.
            return target.Schemes.Count == 1 ? uri : new UriBuilder(uri) { Scheme = target.Schemes[0], Port = -1 }.Uri;
        }

        // Aspire's rule: with no endpoint named in the host, the scheme names the endpoint.
        var endpointNames = target.EndpointName is { } named ? [named] : target.Schemes;
        foreach (var endpointName in endpointNames)
        {
            if (service[$"{endpointName}:0"] is { Length: > 0 } value)
            {
                var endpoint = ParseEndpoint(value, target.Schemes[0], target.ServiceName, endpointName);
                return new UriBuilder(uri) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port }.Uri;
            }
        }

        var available = string.Join(", ", service.GetChildren().Select(c => c.Key));
        throw new InvalidOperationException(
            $"Service '{target.ServiceName}' has no endpoint named {string.Join(" or ", endpointNames.Select(n => $"'{n}'"))} " +
            $"(configuration services:{target.ServiceName}:{endpointNames[0]}:0); its endpoints are: {available}.");
    }

    // Aspire writes full URLs; a bare host:port takes the scheme the caller asked for.
    private static Uri ParseEndpoint(string value, string scheme, string serviceName, string endpointName)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : $"{scheme}://{value}";
        return Uri.TryCreate(text, UriKind.Absolute, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException(
                $"Configuration services:{serviceName}:{endpointName}:0 is '{value}', which is not a URL such as http://localhost:5123.");
    }
}
