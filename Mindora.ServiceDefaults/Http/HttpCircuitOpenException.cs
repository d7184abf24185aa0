using Polly.CircuitBreaker;

namespace Mindora.ServiceDefaults.Http;

/// <summary>
/// The request was not sent: calls to <see cref="Endpoint"/> failed too often and its circuit is
/// open. Catch <see cref="BrokenCircuitException"/> to handle it together with other Polly circuits.
/// </summary>
public sealed class HttpCircuitOpenException : BrokenCircuitException
{
    /// <summary>Creates the exception for the endpoint whose circuit is open.</summary>
    public HttpCircuitOpenException(string endpoint, BrokenCircuitException innerException)
        : base(CreateMessage(endpoint, innerException), RetryAfterOf(innerException), innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>The scheme, host and port the failing calls went to, e.g. <c>http://docs-api</c>.</summary>
    public string Endpoint { get; }

    private static TimeSpan RetryAfterOf(BrokenCircuitException innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        return innerException.RetryAfter ?? TimeSpan.Zero;
    }

    private static string CreateMessage(string endpoint, BrokenCircuitException inner)
    {
        var retry = inner?.RetryAfter is { } after
            ? $" It lets a trial request through in about {Math.Ceiling(after.TotalSeconds)} s."
            : string.Empty;
        return $"The circuit for '{endpoint}' is open because recent requests to it kept failing, so this request was not sent.{retry} "
            + $"Thresholds are set under {HttpResilienceOptions.SectionName}:CircuitBreaker.";
    }
}
