using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Mindora.Integrations.Messaging;

/// <summary>The envelope as AMQP properties: ids, type and timestamp in their own fields, everything else in headers.</summary>
internal static class RabbitEnvelope
{
    public static BasicProperties Properties(MessageEnvelope message)
    {
        var headers = new Dictionary<string, object?>(message.Headers.Count + 1, StringComparer.Ordinal);
        foreach (var (name, value) in message.Headers)
        {
            headers[name] = value;
        }

        headers[MessageEnvelope.AttemptHeader] = message.Attempt.ToString(CultureInfo.InvariantCulture);
        headers[MessageEnvelope.SentAtHeader] = message.Timestamp.ToString("O", CultureInfo.InvariantCulture);
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
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties.Headers is not null)
        {
            foreach (var (name, value) in properties.Headers)
            {
                headers[name] = value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    null => string.Empty,
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
                };
            }
        }

        var attempt = headers.Remove(MessageEnvelope.AttemptHeader, out var a) && int.TryParse(a, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var sentAt = headers.TryGetValue(MessageEnvelope.SentAtHeader, out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime);
        TimeSpan? ttl = long.TryParse(properties.Expiration, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
        return new MessageEnvelope(
            properties.MessageId ?? string.Empty,
            properties.CorrelationId,
            properties.Type ?? string.Empty,
            sentAt,
            body,
            headers,
            properties.ReplyTo,
            ttl,
            attempt);
    }
}
