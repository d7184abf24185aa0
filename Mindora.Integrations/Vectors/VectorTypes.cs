using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors;

/// <summary>How closeness between two vectors is measured.</summary>
public enum VectorDistance
{
    /// <summary>Cosine similarity (vectors are normalized on write; higher is closer).</summary>
    Cosine,

    /// <summary>Dot product (higher is closer).</summary>
    Dot,

    /// <summary>Euclidean (L2) distance (lower is closer).</summary>
    Euclidean,
}

/// <summary>A collection's shape and size.</summary>
/// <param name="Name">The name the app uses (without the app prefix).</param>
/// <param name="Dimension">Components per vector.</param>
/// <param name="Distance">The distance.</param>
/// <param name="Count">Points stored.</param>
public sealed record VectorCollectionInfo(string Name, int Dimension, VectorDistance Distance, long Count);

/// <summary>A point to store.</summary>
/// <param name="Id">1 to 200 characters, no control characters; unique in the collection.</param>
/// <param name="Vector">Exactly the collection's dimension, every component finite.</param>
/// <param name="Payload">Optional JSON object stored with the point and usable in filters.</param>
public sealed record VectorPoint(string Id, ReadOnlyMemory<float> Vector, JsonObject? Payload = null);

/// <summary>A point returned by search, get or scroll.</summary>
/// <param name="Id">The point's id.</param>
/// <param name="Score">Similarity (cosine, dot) or distance (euclidean) to the query; 0 for get and scroll.</param>
/// <param name="Payload">The stored payload (null when none).</param>
/// <param name="Vector">The stored vector when asked for (cosine vectors come back normalized).</param>
public sealed record VectorHit(string Id, double Score, JsonObject? Payload, float[]? Vector);

/// <summary>One page of a scroll.</summary>
/// <param name="Points">The points of this page, in id order.</param>
/// <param name="NextOffset">Where the next page starts, or null at the end.</param>
public sealed record VectorScrollPage(IReadOnlyList<VectorHit> Points, string? NextOffset);

/// <summary>A top-k query.</summary>
public sealed class VectorSearchRequest
{
    /// <summary>The query vector (the collection's dimension, finite components).</summary>
    public required ReadOnlyMemory<float> Vector { get; init; }

    /// <summary>How many hits at most, 1 to 1000. Default 10.</summary>
    public int Top { get; init; } = 10;

    /// <summary>Only points whose payload matches.</summary>
    public VectorFilter? Filter { get; init; }

    /// <summary>Cosine and dot: the lowest score kept; euclidean: the largest distance kept.</summary>
    public double? ScoreThreshold { get; init; }

    /// <summary>Return the stored vectors with the hits.</summary>
    public bool WithVectors { get; init; }
}
