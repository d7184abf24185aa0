using System.Net;
using Amazon.Runtime;
using Polly;
using Polly.Retry;

namespace Mindora.Integrations.Files;

/// <summary>
/// Retries for S3 calls that can be repeated safely (no half-read request stream): throttling,
/// 5xx answers and broken connections, with exponential backoff and jitter. The SDK's own retries
/// are off so this is the one policy.
/// </summary>
internal static class S3Resilience
{
    public static ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .Build();

    public static bool IsTransient(Exception exception) => exception switch
    {
        AmazonServiceException s => (int)s.StatusCode >= 500 || s.StatusCode == HttpStatusCode.TooManyRequests
            || s.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable",
        HttpRequestException or IOException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    public static Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Pipeline.ExecuteAsync(async ct => await call(ct), cancellationToken).AsTask();
}
