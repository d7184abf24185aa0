namespace Mindora.ServiceDefaults.Http;

/// <summary>
/// The resilience every <see cref="System.Net.Http.IHttpClientFactory"/> client gets, bound from
/// <c>Mindora:Http:Resilience</c>. The pipeline, outermost first: total timeout, retry, circuit
/// breaker, per-attempt timeout (the shape of Microsoft.Extensions.Http.Resilience's standard handler).
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Mindora:Http:Resilience";

    /// <summary>The budget for the whole request, every attempt and delay included. Default 30 s.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The budget for one attempt; a timed-out attempt counts as a transient failure. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When and how often a failed attempt is repeated.</summary>
    public HttpRetryOptions Retry { get; set; } = new();

    /// <summary>When calls to a failing endpoint stop being sent for a while.</summary>
    public HttpCircuitBreakerOptions CircuitBreaker { get; set; } = new();
}
