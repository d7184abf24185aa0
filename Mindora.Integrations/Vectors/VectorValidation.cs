using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mindora.Integrations.Vectors;

/// <summary>
/// The rules both providers apply before any I/O, so both reject the same input with the same
/// typed error and nothing half-written: names, ids, vectors, payloads, filters, limits.
/// </summary>
internal static partial class VectorValidation
{
    /// <summary>The payload field that carries a point's id in Qdrant (whose own ids are UUIDs); callers may not use it.</summary>
    public const string IdField = "mindora_id";

    public const int MaxIdLength = 200;
    public const int MaxTop = 1000;
    public const int MaxScrollLimit = 1000;
    public const int MaxIdsPerCall = 10_000;
    public const int MaxFilterDepth = 8;
    public const string FieldKeyRule = "1 to 100 characters: letters, digits, '_', '-' and '.' between names";

    public static void Options(MindoraVectorsOptions options)
    {
        if (options.MaxDimension < 1 || options.MaxPayloadBytes < 1 || options.UpsertBatchSize < 1 || options.HnswThreshold < 1
            || options.HnswM is < 2 or > 128 || options.HnswEfConstruction < 1 || options.HnswEfSearch < 1 || options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new MindoraConfigurationException($"{MindoraVectorsOptions.SectionName}: MaxDimension, MaxPayloadBytes, UpsertBatchSize, HnswThreshold, HnswEfConstruction and HnswEfSearch must be at least 1, HnswM between 2 and 128, RequestTimeout positive.");
        }
    }

    /// <summary>Validates every point of an upsert before anything is written; returns what to store.</summary>
    public static List<(string Id, float[] Vector, string? Payload)> Points(IReadOnlyList<VectorPoint> points, int dimension, VectorDistance distance, MindoraVectorsOptions options)
    {
        var rows = new List<(string, float[], string?)>(points.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i] ?? throw new MindoraValidationException($"points[{i}]", $"points[{i}] is null.");
            var id = Id(point.Id, $"points[{i}].Id");
            if (!seen.Add(id))
            {
                throw new MindoraValidationException($"points[{i}].Id", $"The point id '{id}' appears more than once in one upsert.");
            }

            rows.Add((id, Vector(point.Vector.Span, dimension, distance, $"points[{i}].Vector"), Payload(point.Payload, options.MaxPayloadBytes, $"points[{i}].Payload")));
        }

        return rows;
    }

    public static void Request(VectorSearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Top(request.Top);
        ScoreThreshold(request.ScoreThreshold);
        Filter(request.Filter);
    }

    public static string Collection(string? name) => MindoraNames.ValidateLogicalName(name, "vector collection", "collection");

    /// <summary>The stored collection name: the app, '_' (never part of an app name), the name.</summary>
    public static string FullName(string app, string collection) => $"{app}_{collection}";

    public static void Dimension(int dimension, MindoraVectorsOptions options)
    {
        if (dimension < 1 || dimension > options.MaxDimension)
        {
            throw new MindoraValidationException("dimension", $"Invalid dimension {dimension}: allowed is 1 to {options.MaxDimension}.");
        }
    }

    public static void Distance(VectorDistance distance)
    {
        if (!Enum.IsDefined(distance))
        {
            throw new MindoraValidationException("distance", $"Invalid distance '{distance}': allowed is Cosine, Dot or Euclidean.");
        }
    }

    public static string Id(string? id, string parameterName = "id")
    {
        const string rule = "1 to 200 characters, no control characters";
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || MindoraArguments.ContainsControl(id))
        {
            var shown = id is null ? "(null)" : new string(id.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
            throw new MindoraInvalidNameException("point id", parameterName, $"Invalid point id '{shown}': allowed is {rule}.");
        }

        if (!MindoraNames.IsWellFormedUtf16(id))
        {
            throw new MindoraInvalidNameException("point id", parameterName, $"Invalid point id: it is not well-formed UTF-16; allowed is {rule}.");
        }

        return id;
    }

    public static IReadOnlyList<string> Ids(IReadOnlyList<string>? ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > MaxIdsPerCall)
        {
            throw new MindoraValidationException("ids", $"{ids.Count} ids in one call: allowed is at most {MaxIdsPerCall}.");
        }

        for (var i = 0; i < ids.Count; i++)
        {
            Id(ids[i], $"ids[{i}]");
        }

        return ids;
    }

    /// <summary>Checks a vector against the collection and returns the copy to store (normalized for cosine).</summary>
    public static float[] Vector(ReadOnlySpan<float> vector, int dimension, VectorDistance distance, string parameterName)
    {
        if (vector.Length != dimension)
        {
            throw new MindoraVectorException(parameterName, $"The vector {parameterName} has {vector.Length} components but the collection's dimension is {dimension}.", "dimension_mismatch");
        }

        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new MindoraVectorException(parameterName, $"The vector {parameterName} has a non-finite component at index {i} ({vector[i].ToString(CultureInfo.InvariantCulture)}); every component must be a finite number.", "invalid_vector");
            }
        }

        var copy = vector.ToArray();
        if (distance == VectorDistance.Cosine && !VectorMath.Normalize(copy))
        {
            throw new MindoraVectorException(parameterName, $"The vector {parameterName} has length zero (or too small to normalize); cosine distance needs a non-zero vector.", "invalid_vector");
        }

        return copy;
    }

    /// <summary>Validates a payload and returns its JSON text (null when there is none).</summary>
    public static string? Payload(JsonObject? payload, int maxBytes, string parameterName)
    {
        if (payload is null || payload.Count == 0)
        {
            // An empty payload is no payload, in both providers.
            return null;
        }

        if (payload.ContainsKey(IdField))
        {
            throw new MindoraValidationException(parameterName, $"The payload field '{IdField}' is reserved by Mindora; use another name.");
        }

        var json = payload.ToJsonString();
        if (Encoding.UTF8.GetByteCount(json) > maxBytes)
        {
            throw new MindoraPayloadTooLargeException($"The payload {parameterName}", maxBytes);
        }

        return json;
    }

    public static void Top(int top)
    {
        if (top < 1 || top > MaxTop)
        {
            throw new MindoraValidationException("top", $"Invalid top {top}: allowed is 1 to {MaxTop}.");
        }
    }

    public static void ScrollLimit(int limit)
    {
        if (limit < 1 || limit > MaxScrollLimit)
        {
            throw new MindoraValidationException("limit", $"Invalid limit {limit}: allowed is 1 to {MaxScrollLimit}.");
        }
    }

    public static void ScoreThreshold(double? threshold)
    {
        if (threshold is { } value && !double.IsFinite(value))
        {
            throw new MindoraValidationException("scoreThreshold", "The score threshold must be a finite number.");
        }
    }

    /// <summary>Checks field keys, values and bounds of a filter tree.</summary>
    public static void Filter(VectorFilter? filter, int depth = 0)
    {
        switch (filter)
        {
            case null:
                return;
            case VectorMatch match:
                FieldKey(match.Key);
                if (match.Value is null || match.Value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    throw new MindoraValidationException("filter", $"The match on '{match.Key}' needs a string, integer or boolean value.");
                }

                if (match.Value.GetValueKind() == JsonValueKind.Number && !match.Value.TryGetValue<long>(out _))
                {
                    throw new MindoraValidationException("filter", $"The match on '{match.Key}' compares numbers only as integers; use a range for other numbers.");
                }

                return;
            case VectorRange range:
                FieldKey(range.Key);
                if (range is { Gt: null, Gte: null, Lt: null, Lte: null } || new[] { range.Gt, range.Gte, range.Lt, range.Lte }.Any(b => b is { } v && !double.IsFinite(v)))
                {
                    throw new MindoraValidationException("filter", $"The range on '{range.Key}' needs at least one finite bound (gt, gte, lt, lte).");
                }

                return;
            case VectorBool combined:
                if (depth >= MaxFilterDepth)
                {
                    throw new MindoraValidationException("filter", $"The filter is nested deeper than {MaxFilterDepth} levels.");
                }

                foreach (var child in combined.Must.Concat(combined.Should).Concat(combined.MustNot))
                {
                    if (child is null)
                    {
                        throw new MindoraValidationException("filter", "A filter list holds a null condition.");
                    }

                    Filter(child, depth + 1);
                }

                return;
            default:
                throw new MindoraValidationException("filter", $"Unknown filter condition '{filter.GetType().Name}'.");
        }
    }

    private static void FieldKey(string? key)
    {
        if (key is null || key.Length > 100 || !FieldKeyRegex().IsMatch(key) || key == IdField)
        {
            var shown = key is null ? "(null)" : new string(key.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
            throw new MindoraInvalidNameException("payload field", "filter", $"Invalid payload field '{shown}' in a filter: allowed is {FieldKeyRule} (not '{IdField}').");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldKeyRegex();
}
