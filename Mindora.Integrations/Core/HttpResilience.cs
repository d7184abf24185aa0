using System.Net;
using Polly;
using Polly.Retry;

namespace Mindora.Integrations;

/// <summary>
/// The one retry pipeline for the SDK's REST providers (Elasticsearch, Qdrant): a connection
/// error or a 429/502/503/504 answer is retried three times with jittered exponential backoff.
/// Stateless, so every provider shares it.
/// </summary>
internal static class HttpResilience
{
    public static ResiliencePipeline<HttpResponseMessage> TransientRetry { get; } = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .Build();
}
