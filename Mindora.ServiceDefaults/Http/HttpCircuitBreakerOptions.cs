namespace Mindora.ServiceDefaults.Http;

/// <summary>
/// A circuit breaker per endpoint (scheme, host and port): when too many calls fail, further calls
/// fail fast with <see cref="HttpCircuitOpenException"/> for <see cref="BreakDuration"/>.
/// </summary>
public sealed class HttpCircuitBreakerOptions
{
    /// <summary>The share of failed calls, between 0 and 1, that opens the circuit. Default 0.1.</summary>
    public double FailureRatio { get; set; } = 0.1;

    /// <summary>The calls that must be seen in the sampling window before the circuit may open. Default 100.</summary>
    public int MinimumThroughput { get; set; } = 100;

    /// <summary>The window over which the failure ratio is measured. Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call is let through. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
