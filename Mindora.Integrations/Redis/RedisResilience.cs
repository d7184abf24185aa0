using Polly;
using Polly.Retry;

namespace Mindora.Integrations.Redis;

/// <summary>
/// Retries a Redis call when the connection was lost or timed out (the client reconnects in the
/// background): jittered exponential backoff, about 10 s in all, enough for a server restart.
/// Only for calls that are safe to repeat — a command whose reply was lost may have run.
/// A disposed client is not transient and is not retried.
/// </summary>
internal static class RedisResilience
{
    public static ResiliencePipeline TransientRetry { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<MindoraUnavailableException>(e => e.InnerException is not ObjectDisposedException),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
        })
        .Build();
}
