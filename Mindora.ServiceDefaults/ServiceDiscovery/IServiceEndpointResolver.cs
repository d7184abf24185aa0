namespace Mindora.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Turns a logical service URI such as <c>http://docs-api/items?id=1</c> into the URI of a
/// running endpoint, as Aspire's service discovery does. Used by every IHttpClientFactory client
/// and usable directly, e.g. for a WebSocket or a gRPC channel.
/// </summary>
public interface IServiceEndpointResolver
{
    /// <summary>
    /// Resolves <paramref name="uri"/>: its host names a service (<c>docs-api</c>) or an endpoint of one
    /// (<c>_admin.docs-api</c>); its scheme may list fallbacks (<c>https+http</c>). Path, query and
    /// fragment are kept. A host that names no configured service comes back unchanged (a
    /// <c>https+http</c> scheme becomes its first choice, <c>https</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The service is configured, but not with the endpoint asked for.</exception>
    ValueTask<Uri> ResolveAsync(Uri uri, CancellationToken cancellationToken = default);
}
