using System.Text.Json;

namespace Mindora.Integrations.Cache;

/// <summary>JSON (System.Text.Json, web defaults) with the size limit and typed errors of the cache.</summary>
internal sealed class CacheSerializer(int maxBytes)
{
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public int MaxBytes => maxBytes;

    /// <exception cref="MindoraValidationException">The value does not serialize to JSON.</exception>
    /// <exception cref="MindoraPayloadTooLargeException">The JSON is over the limit.</exception>
    public byte[] Serialize<T>(T value, string what, string parameterName)
    {
        byte[] bytes;
        try
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(value, _json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new MindoraValidationException(
                parameterName,
                $"The {what} of type {typeof(T).Name} cannot be stored: it does not serialize to JSON ({e.Message}).",
                "unserializable_value");
        }

        CheckSize(bytes.Length, what);
        return bytes;
    }

    public void CheckSize(int length, string what)
    {
        if (length > maxBytes)
        {
            throw new MindoraPayloadTooLargeException($"The serialized {what}", maxBytes);
        }
    }

    /// <exception cref="MindoraValidationException">The stored JSON is not a <typeparamref name="T"/>.</exception>
    public T? Deserialize<T>(byte[] bytes, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, _json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new MindoraValidationException(
                "T",
                $"The cached {what} cannot be read as {typeof(T).Name}: {e.Message}",
                "type_mismatch");
        }
    }
}
