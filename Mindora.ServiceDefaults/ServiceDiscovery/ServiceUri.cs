namespace Mindora.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// The parts of a logical service URI: <c>https+http://_admin.docs-api/x</c> asks for service
/// <c>docs-api</c>, endpoint <c>admin</c>, schemes https then http.
/// </summary>
internal sealed record ServiceUri(string ServiceName, string? EndpointName, IReadOnlyList<string> Schemes)
{
    /// <summary>Null when the scheme is not http, https or a '+' list of them.</summary>
    public static ServiceUri? Parse(Uri uri)
    {
        var schemes = uri.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        if (schemes.Length == 0 || !schemes.All(s => s is "http" or "https"))
        {
            return null;
        }

        var host = uri.Host;
        if (host.StartsWith('_') && host.IndexOf('.', StringComparison.Ordinal) is var dot and > 1 && dot < host.Length - 1)
        {
            return new ServiceUri(host[(dot + 1)..], host[1..dot], schemes);
        }

        return new ServiceUri(host, null, schemes);
    }
}
