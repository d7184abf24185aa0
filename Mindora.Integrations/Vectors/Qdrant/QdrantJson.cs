using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors.Qdrant;

/// <summary>Translations between Mindora's types and Qdrant's REST JSON.</summary>
internal static class QdrantJson
{
    public static string DistanceName(VectorDistance distance) => distance switch
    {
        VectorDistance.Cosine => "Cosine",
        VectorDistance.Dot => "Dot",
        _ => "Euclid",
    };

    public static VectorDistance? ParseDistance(string? name) => name switch
    {
        "Cosine" => VectorDistance.Cosine,
        "Dot" => VectorDistance.Dot,
        "Euclid" => VectorDistance.Euclidean,
        _ => null,
    };

    /// <summary>
    /// Qdrant ids are unsigned integers or UUIDs, Mindora ids are strings: the point id is a UUID
    /// derived from the string (SHA-256, first 16 bytes), and the string travels in the payload.
    /// </summary>
    public static string PointId(string id)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    /// <summary>A filter in Qdrant's form: a bool at the top, conditions inside (nested bools are nested filters); empty lists are left out.</summary>
    public static JsonObject Filter(VectorFilter filter)
    {
        if (filter is not VectorBool b)
        {
            return new JsonObject { ["must"] = new JsonArray(Condition(filter)) };
        }

        var json = new JsonObject();
        foreach (var (name, list) in new[] { ("must", b.Must), ("should", b.Should), ("must_not", b.MustNot) })
        {
            if (list.Count > 0)
            {
                json[name] = Conditions(list);
            }
        }

        return json;
    }

    private static JsonArray Conditions(IReadOnlyList<VectorFilter> filters) => new(filters.Select(f => (JsonNode)Condition(f)).ToArray());

    private static JsonObject Condition(VectorFilter filter) => filter switch
    {
        VectorMatch m => new JsonObject { ["key"] = m.Key, ["match"] = new JsonObject { ["value"] = m.Value.DeepClone() } },
        VectorRange r => new JsonObject { ["key"] = r.Key, ["range"] = Range(r) },
        _ => Filter(filter),
    };

    private static JsonObject Range(VectorRange r)
    {
        var range = new JsonObject();
        if (r.Gt is { } gt)
        {
            range["gt"] = gt;
        }

        if (r.Gte is { } gte)
        {
            range["gte"] = gte;
        }

        if (r.Lt is { } lt)
        {
            range["lt"] = lt;
        }

        if (r.Lte is { } lte)
        {
            range["lte"] = lte;
        }

        return range;
    }

    /// <summary>A point or hit from Qdrant's JSON: the id comes back from the payload, which is returned without it.</summary>
    public static VectorHit Hit(JsonNode node)
    {
        var payload = node["payload"] is JsonObject p ? (JsonObject)p.DeepClone() : null;
        string id;
        if (payload is not null && payload[VectorValidation.IdField] is JsonValue v && v.TryGetValue<string>(out var stored))
        {
            id = stored;
            payload.Remove(VectorValidation.IdField);
        }
        else
        {
            // A point not written by Mindora: its own id.
            id = node["id"]?.ToString() ?? string.Empty;
        }

        var vector = node["vector"] is JsonArray array ? array.Select(x => x!.GetValue<float>()).ToArray() : null;
        return new VectorHit(id, node["score"]?.GetValue<double>() ?? 0, payload is { Count: 0 } ? null : payload, vector);
    }
}
