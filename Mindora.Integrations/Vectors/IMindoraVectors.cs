namespace Mindora.Integrations.Vectors;

/// <summary>
/// Vector search for one app: collections named <c>{app}_{name}</c> with a fixed dimension and
/// distance, points (an id, a vector and a JSON payload), top-k search with payload filters.
/// The same contract is served by Qdrant (its REST API) and by the embedded store (SQLite plus an
/// in-process exact or HNSW index). Scores follow Qdrant: cosine and dot are similarities (higher
/// is closer), euclidean is a distance (lower is closer, and a score threshold is a maximum).
/// </summary>
public interface IMindoraVectors
{
    /// <summary>Creates the collection when it does not exist; an existing one must have the same dimension and distance.</summary>
    /// <exception cref="MindoraInvalidNameException">The name is not allowed.</exception>
    /// <exception cref="MindoraConflictException">It exists with another dimension or distance.</exception>
    Task EnsureCollectionAsync(string collection, int dimension, VectorDistance distance, CancellationToken cancellationToken = default);

    /// <summary>The collection's dimension, distance and point count, or null when it does not exist.</summary>
    Task<VectorCollectionInfo?> GetCollectionAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>Deletes the collection and its points; false when it did not exist.</summary>
    Task<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces points, all or nothing: every point is validated (id, dimension,
    /// finite components, payload) before anything is written.
    /// </summary>
    /// <exception cref="MindoraNotFoundException">The collection does not exist.</exception>
    /// <exception cref="MindoraVectorException">A vector has the wrong dimension or a NaN/∞ component.</exception>
    Task UpsertAsync(string collection, IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default);

    /// <summary>The closest points to <see cref="VectorSearchRequest.Vector"/>, best first.</summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, VectorSearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>The points with these ids that exist, in the order asked.</summary>
    Task<IReadOnlyList<VectorHit>> GetAsync(string collection, IReadOnlyList<string> ids, bool withVectors = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes the points with these ids; returns how many existed.</summary>
    Task<long> DeleteAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Deletes every point matching <paramref name="filter"/>; returns how many there were.</summary>
    Task<long> DeleteAsync(string collection, VectorFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Counts the points, all or those matching <paramref name="filter"/>.</summary>
    Task<long> CountAsync(string collection, VectorFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pages through the points (matching <paramref name="filter"/>) in id order: pass the
    /// previous page's <see cref="VectorScrollPage.NextOffset"/> to continue.
    /// </summary>
    Task<VectorScrollPage> ScrollAsync(string collection, VectorFilter? filter = null, int limit = 100, string? offset = null, bool withVectors = false, CancellationToken cancellationToken = default);
}
