namespace Mindora.Integrations.Messaging;

/// <summary>One delivered message and its envelope.</summary>
/// <typeparam name="T">The body's type.</typeparam>
public sealed class MessageContext<T>
{
    internal MessageContext(T body, string queue, MessageEnvelope envelope)
    {
        Body = body;
        Queue = queue;
        MessageId = envelope.MessageId;
        CorrelationId = envelope.CorrelationId;
        Type = envelope.Type;
        Timestamp = envelope.Timestamp;
        Attempt = envelope.Attempt;
        Headers = envelope.UserHeaders();
    }

    /// <summary>The deserialized body.</summary>
    public T Body { get; }

    /// <summary>The queue it was delivered from.</summary>
    public string Queue { get; }

    /// <summary>The message id set by the sender (stable across retries and redeliveries).</summary>
    public string MessageId { get; }

    /// <summary>The correlation id, when the sender set one.</summary>
    public string? CorrelationId { get; }

    /// <summary>The message type (the routing key for published messages, else the body's type name unless set).</summary>
    public string Type { get; }

    /// <summary>When it was first sent.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>1 on the first delivery, 2 on the first retry, and so on.</summary>
    public int Attempt { get; }

    /// <summary>The sender's own headers (<see cref="MessageOptions.Headers"/>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }
}
