namespace Mindora.Integrations.Messaging;

/// <summary>
/// A message as the providers carry it: the envelope fields, the JSON body, and headers (the
/// sender's own plus Mindora's: trace context, attempt, error). Providers map it to their wire form.
/// </summary>
internal sealed record MessageEnvelope(
    string MessageId,
    string? CorrelationId,
    string Type,
    DateTimeOffset Timestamp,
    ReadOnlyMemory<byte> Body,
    IReadOnlyDictionary<string, string> Headers,
    string? ReplyTo = null,
    TimeSpan? TimeToLive = null,
    int Attempt = 1)
{
    public const string HeaderPrefix = "mindora-";
    public const string ErrorHeader = "mindora-error";
    public const string FailedAtHeader = "mindora-failed-at";
    public const string OriginalQueueHeader = "mindora-queue";
    public const string AttemptHeader = "mindora-attempt";
    public const string SentAtHeader = "mindora-sent-at";
    public const string RpcErrorHeader = "mindora-rpc-error";

    /// <summary>The sender's own headers: everything except Mindora's and the trace context.</summary>
    public IReadOnlyDictionary<string, string> UserHeaders() =>
        Headers.Where(h => !IsReserved(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);

    /// <summary>A copy with one header set (or removed when <paramref name="value"/> is null).</summary>
    public MessageEnvelope WithHeader(string name, string? value)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.Ordinal);
        if (value is null)
        {
            headers.Remove(name);
        }
        else
        {
            headers[name] = value;
        }

        return this with { Headers = headers };
    }

    /// <summary>Headers callers may not set.</summary>
    public static bool IsReserved(string name) =>
        name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase) || name is "traceparent" or "tracestate" or "baggage";
}
