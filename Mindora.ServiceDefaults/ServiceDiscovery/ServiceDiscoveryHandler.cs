namespace Mindora.ServiceDefaults.ServiceDiscovery;

/// <summary>Points each request at the endpoint its service name resolves to.</summary>
internal sealed class ServiceDiscoveryHandler(IServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var original = request.RequestUri;
        if (original is not { IsAbsoluteUri: true })
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        request.RequestUri = await resolver.ResolveAsync(original, cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Put the logical URI back so a retry around this handler resolves the service again.
            request.RequestUri = original;
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var original = request.RequestUri;
        if (original is not { IsAbsoluteUri: true })
        {
            return base.Send(request, cancellationToken);
        }

        var resolving = resolver.ResolveAsync(original, cancellationToken);
        request.RequestUri = resolving.IsCompletedSuccessfully ? resolving.Result : resolving.AsTask().GetAwaiter().GetResult();
        try
        {
            return base.Send(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = original;
        }
    }
}
