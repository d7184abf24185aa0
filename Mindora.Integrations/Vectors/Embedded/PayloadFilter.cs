using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// Evaluates a <see cref="VectorFilter"/> against a payload with Qdrant's semantics: dotted keys
/// walk nested objects, arrays are flattened (a condition holds when any element satisfies it), a
/// missing field satisfies no condition (so it passes <c>must_not</c>).
/// </summary>
internal static class PayloadFilter
{
    public static bool Matches(VectorFilter? filter, JsonObject? payload) => filter switch
    {
        null => true,
        VectorMatch match => Values(payload, match.Key).Any(v => Equal(v, match.Value)),
        VectorRange range => Values(payload, range.Key).Any(v => InRange(v, range)),
        VectorBool b => b.Must.All(c => Matches(c, payload))
            && (b.Should.Count == 0 || b.Should.Any(c => Matches(c, payload)))
            && !b.MustNot.Any(c => Matches(c, payload)),
        _ => false,
    };

    private static IEnumerable<JsonValue> Values(JsonObject? payload, string key)
    {
        IEnumerable<JsonNode?> current = [payload];
        foreach (var part in key.Split('.'))
        {
            current = current.SelectMany(Flatten).OfType<JsonObject>().Select(o => o.TryGetPropertyValue(part, out var child) ? child : null);
        }

        return current.SelectMany(Flatten).OfType<JsonValue>();
    }

    private static IEnumerable<JsonNode?> Flatten(JsonNode? node) =>
        node is JsonArray array ? array.SelectMany(Flatten) : [node];

    private static bool Equal(JsonValue stored, JsonValue wanted)
    {
        var kind = wanted.GetValueKind();
        return kind switch
        {
            JsonValueKind.String => stored.GetValueKind() == JsonValueKind.String && stored.GetValue<string>() == wanted.GetValue<string>(),
            JsonValueKind.True or JsonValueKind.False => stored.GetValueKind() == kind,
            JsonValueKind.Number => stored.GetValueKind() == JsonValueKind.Number && stored.TryGetValue<long>(out var a) && wanted.TryGetValue<long>(out var b) && a == b,
            _ => false,
        };
    }

    private static bool InRange(JsonValue stored, VectorRange range)
    {
        if (stored.GetValueKind() != JsonValueKind.Number || !stored.TryGetValue<double>(out var v))
        {
            return false;
        }

        return (range.Gt is not { } gt || v > gt) && (range.Gte is not { } gte || v >= gte)
            && (range.Lt is not { } lt || v < lt) && (range.Lte is not { } lte || v <= lte);
    }
}
