using System.Net;
using Polly;
using Polly.Timeout;

namespace Mindora.ServiceDefaults.Http;

/// <summary>What counts as a failure worth retrying or counting against the circuit.</summary>
internal static class HttpTransientFailures
{
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>POST, PATCH and CONNECT may have side effects that a second attempt would repeat.</summary>
    public static bool IsIdempotent(HttpMethod method) =>
        method != HttpMethod.Post && method != HttpMethod.Patch && method != HttpMethod.Connect;

    /// <summary>The delay a 429 or 503 asks for in its <c>Retry-After</c> header, if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date - time.GetUtcNow());
        return delay is { } value ? (value < TimeSpan.Zero ? TimeSpan.Zero : value) : null;
    }
}
