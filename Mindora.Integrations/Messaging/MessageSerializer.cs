using System.Text.Json;

namespace Mindora.Integrations.Messaging;

/// <summary>JSON bodies (System.Text.Json, web defaults) with the size limit and typed errors of messaging.</summary>
internal sealed class MessageSerializer(int maxBytes)
{
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public byte[] Serialize<T>(T body)
    {
        byte[] bytes;
        try
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(body, _json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new MindoraValidationException("body", $"The message body of type {typeof(T).Name} cannot be serialized to JSON: {e.Message}");
        }

        return bytes.Length <= maxBytes ? bytes : throw new MindoraPayloadTooLargeException("The serialized message body", maxBytes);
    }

    /// <summary>Reads a body; a body that is not JSON of <typeparamref name="T"/> is a poison message.</summary>
    public T Deserialize<T>(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, _json)!;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new PoisonMessageException($"The message body is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }
}

/// <summary>A message no retry can fix (its body does not deserialize): it goes straight to the dead-letter queue.</summary>
internal sealed class PoisonMessageException(string message, Exception inner) : Exception(message, inner);
