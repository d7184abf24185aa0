using Polly;
using Polly.CircuitBreaker;

namespace Mindora.ServiceDefaults.Http;

/// <summary>Sends each request through its endpoint's resilience pipeline.</summary>
internal sealed class HttpResilienceHandler(HttpResiliencePipelines pipelines) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (request.Content is not null && MayRetry(request))
        {
            // Every attempt must send the same body, and a stream can only be read once.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var endpoint = EndpointOf(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelines.RequestKey, request);
        try
        {
            return await pipelines.For(endpoint).ExecuteAsync(
                static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken)),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex) when (ex is not HttpCircuitOpenException)
        {
            throw new HttpCircuitOpenException(endpoint, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (request.Content is not null && MayRetry(request))
        {
            // See SendAsync. HttpContent has no synchronous buffering, and the caller chose to block anyway.
            request.Content.LoadIntoBufferAsync(cancellationToken).GetAwaiter().GetResult();
        }

        var endpoint = EndpointOf(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelines.RequestKey, request);
        try
        {
            return pipelines.For(endpoint).Execute(
                static (ctx, state) => state.Handler.SendAttempt(state.Request, ctx.CancellationToken),
                context,
                (Handler: this, Request: request));
        }
        catch (BrokenCircuitException ex) when (ex is not HttpCircuitOpenException)
        {
            throw new HttpCircuitOpenException(endpoint, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private HttpResponseMessage SendAttempt(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.Send(request, cancellationToken);

    private bool MayRetry(HttpRequestMessage request)
    {
        var retry = pipelines.Options.Retry;
        return retry.MaxRetryAttempts > 0 && (retry.RetryNonIdempotentMethods || HttpTransientFailures.IsIdempotent(request.Method));
    }

    // The circuit is per endpoint; the URI is still the logical one here (discovery runs inside).
    private static string EndpointOf(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? $"{uri.Scheme}://{uri.Authority}" : string.Empty;
}
