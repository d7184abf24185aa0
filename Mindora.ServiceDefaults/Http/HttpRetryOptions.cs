namespace Mindora.ServiceDefaults.Http;

/// <summary>
/// Retries of transient failures: <see cref="System.Net.Http.HttpRequestException"/>, a timed-out
/// attempt, 408, 429 and 5xx. A <c>Retry-After</c> header on the response sets the delay.
/// </summary>
public sealed class HttpRetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retries off. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first backoff delay; it grows exponentially, with jitter. Default 0.5 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether backoff delays are randomised so clients do not retry in lockstep. Default true.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Whether POST, PATCH and CONNECT are retried too. Off by default: repeating them can repeat
    /// their side effect on the server.
    /// </summary>
    public bool RetryNonIdempotentMethods { get; set; }
}
