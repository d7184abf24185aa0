using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Mindora.Integrations.Messaging;

/// <summary>The envelope as AMQP properties: ids, type and timestamp in their own fields, everything else in headers.</summary>
internal static class RabbitEnvelope
{
    public static BasicProperties Properties(MessageEnvelope message)
    {
        var headers = new Dictionary<string, object?>(message.Headers.Count + 2, StringComparer.Ordinal);
        foreach (var (name, value) in message.Headers)
        {
            headers[name] = value;
        }

        // Numbers travel as AMQP integers: nothing to format here or parse on delivery. A first
        // attempt carries no attempt header (a missing one reads as 1): the broker decodes every
        // header of every publish, so each one costs it.
        if (message.Attempt > 1)
        {
            headers[MessageEnvelope.AttemptHeader] = message.Attempt;
        }

        headers[MessageEnvelope.SentAtHeader] = message.Timestamp.ToUnixTimeMilliseconds();
        return new BasicProperties
        {
            MessageId = message.MessageId,
            CorrelationId = message.CorrelationId,
            Type = message.Type,
            Timestamp = new AmqpTimestamp(message.Timestamp.ToUnixTimeSeconds()),
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            ReplyTo = message.ReplyTo,
            Expiration = message.TimeToLive is { } ttl ? ((long)Math.Ceiling(ttl.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) : null,
            Headers = headers,
        };
    }

    public static MessageEnvelope Read(IReadOnlyBasicProperties properties, byte[] body)
    {
        var attempt = 1;
        DateTimeOffset? sentAt = null;
        var headers = new Dictionary<string, string>(properties.Headers?.Count ?? 0, StringComparer.Ordinal);
        if (properties.Headers is not null)
        {
            foreach (var (name, value) in properties.Headers)
            {
                switch (name)
                {
                    case MessageEnvelope.AttemptHeader:
                        attempt = Number(value) is > 0 and <= int.MaxValue and var n ? (int)n : 1;
                        break;
                    case MessageEnvelope.SentAtHeader:
                        sentAt = SentAt(value);
                        break;
                    case PublishSequenceHeader:
                        // RabbitMQ.Client's own bookkeeping of publisher confirms: not the sender's header.
                        break;
                    default:
                        headers[name] = Text(value);
                        break;
                }
            }
        }

        TimeSpan? ttl = long.TryParse(properties.Expiration, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
        return new MessageEnvelope(
            properties.MessageId ?? string.Empty,
            properties.CorrelationId,
            properties.Type ?? string.Empty,
            sentAt ?? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime),
            body,
            headers,
            properties.ReplyTo,
            ttl,
            attempt);
    }

    /// <summary>The header RabbitMQ.Client 7 adds to each publish on a channel that tracks confirms.</summary>
    private const string PublishSequenceHeader = "x-dotnet-pub-seq-no";

    private static string Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => string.Empty,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>An integer header: an AMQP integer, or text from messages sent before numbers were sent as such.</summary>
    private static long? Number(object? value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte[] bytes when long.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static DateTimeOffset? SentAt(object? value) => value switch
    {
        byte[] bytes when DateTimeOffset.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, DateTimeStyles.None, out var text) => text,
        _ when Number(value) is { } ms && ms is >= 0 and <= 253402300799999 => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        _ => null,
    };
}
