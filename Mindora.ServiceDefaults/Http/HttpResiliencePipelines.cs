using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Mindora.ServiceDefaults.Http;

/// <summary>
/// One pipeline per endpoint (scheme, host, port), kept for the app's lifetime so circuit state
/// survives IHttpClientFactory's handler rotation. Options are read when an endpoint's pipeline is
/// first built.
/// </summary>
internal sealed class HttpResiliencePipelines(IOptionsMonitor<HttpResilienceOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>The request being sent, so the retry can see its method.</summary>
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Mindora.Http.Request");

    private readonly ResiliencePipelineRegistry<string> registry = new();

    public HttpResilienceOptions Options => options.CurrentValue;

    public ResiliencePipeline<HttpResponseMessage> For(string endpoint) =>
        registry.GetOrAddPipeline<HttpResponseMessage>(endpoint, builder => Configure(builder, options.CurrentValue));

    public void Dispose() => registry.Dispose();

    private void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpResilienceOptions o)
    {
        builder.TimeProvider = time;
        builder.AddTimeout(o.TotalRequestTimeout);

        if (o.Retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.Retry.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = o.Retry.UseJitter,
                Delay = o.Retry.BaseDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, o)),
                // null falls back to the exponential backoff.
                DelayGenerator = args => ValueTask.FromResult(HttpTransientFailures.RetryAfter(args.Outcome.Result, time)),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = o.CircuitBreaker.FailureRatio,
            MinimumThroughput = o.CircuitBreaker.MinimumThroughput,
            SamplingDuration = o.CircuitBreaker.SamplingDuration,
            BreakDuration = o.CircuitBreaker.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpTransientFailures.IsTransient(args.Outcome)),
        });

        builder.AddTimeout(o.AttemptTimeout);
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, HttpResilienceOptions o)
    {
        if (!HttpTransientFailures.IsTransient(outcome)
            || !context.Properties.TryGetValue(RequestKey, out var request)
            || !(o.Retry.RetryNonIdempotentMethods || HttpTransientFailures.IsIdempotent(request.Method)))
        {
            return false;
        }

        // A server asking for more time than the whole request may take gets its answer back now
        // instead of a timeout later.
        return HttpTransientFailures.RetryAfter(outcome.Result, time) is not { } wait || wait < o.TotalRequestTimeout;
    }
}
