using System.Numerics.Tensors;

namespace Mindora.Integrations.Vectors;

/// <summary>SIMD vector arithmetic (System.Numerics.Tensors) shared by exact search and HNSW.</summary>
internal static class VectorMath
{
    /// <summary>Scales <paramref name="vector"/> to length 1; false when its length is zero or not finite.</summary>
    public static bool Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 1e-30f) || !float.IsFinite(norm))
        {
            return false;
        }

        TensorPrimitives.Divide(vector, norm, vector);
        return true;
    }

    /// <summary>
    /// The internal ordering key: smaller is closer for every distance (negated similarity for
    /// cosine and dot, squared L2 for euclidean, which orders like L2 and skips the square root).
    /// Cosine vectors are stored normalized, so their similarity is a dot product.
    /// </summary>
    public static float Key(VectorDistance distance, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => distance switch
    {
        VectorDistance.Euclidean => SquaredL2(a, b),
        _ => -TensorPrimitives.Dot(a, b),
    };

    /// <summary>The score reported to callers (Qdrant's convention) from an ordering key.</summary>
    public static double Score(VectorDistance distance, float key) => distance switch
    {
        VectorDistance.Euclidean => Math.Sqrt(Math.Max(0, key)),
        _ => -key,
    };

    /// <summary>True when a score passes the caller's threshold (a minimum similarity, or a maximum distance).</summary>
    public static bool PassesThreshold(VectorDistance distance, double score, double? threshold) => threshold switch
    {
        null => true,
        { } t when distance == VectorDistance.Euclidean => score <= t,
        { } t => score >= t,
    };

    private static float SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }
}
