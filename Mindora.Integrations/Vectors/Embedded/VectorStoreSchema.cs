using System.Runtime.InteropServices;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// The tables of <c>{dir}/vectors.db</c>. Every write bumps its collection's <c>version</c> and
/// stamps the rows it touched (points, or deletion tombstones), so each process catches up by
/// reading only the rows newer than the version its mirror reflects. Collection ids are never
/// reused (AUTOINCREMENT), so a collection deleted and re-created elsewhere is noticed.
/// </summary>
internal static class VectorStoreSchema
{
    public static IReadOnlyList<string> Statements { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS vector_collections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            dimension INTEGER NOT NULL,
            distance INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS vector_points (
            collection_id INTEGER NOT NULL,
            id TEXT NOT NULL,
            vector BLOB NOT NULL,
            payload TEXT,
            version INTEGER NOT NULL,
            UNIQUE (collection_id, id))
        """,
        "CREATE INDEX IF NOT EXISTS vector_points_version ON vector_points (collection_id, version)",
        """
        CREATE TABLE IF NOT EXISTS vector_deletions (
            collection_id INTEGER NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (collection_id, id)) WITHOUT ROWID
        """,
        "CREATE INDEX IF NOT EXISTS vector_deletions_version ON vector_deletions (collection_id, version)",
    ];

    public static byte[] ToBlob(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob.AsSpan()).ToArray();
}
