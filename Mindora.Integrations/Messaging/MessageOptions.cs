namespace Mindora.Integrations.Messaging;

/// <summary>Per-message settings of a send or publish.</summary>
public sealed class MessageOptions
{
    /// <summary>The message id; default a new GUID. Handlers made idempotent dedupe by it.</summary>
    public string? MessageId { get; init; }

    /// <summary>A correlation id that ties messages of one conversation together.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The message type; default the routing key of a publish or the body's type name of a send.</summary>
    public string? Type { get; init; }

    /// <summary>Discard the message when nobody took it within this time (per-message TTL).</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Extra headers (names: letters, digits, '-' and '_', not starting with <c>mindora-</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
