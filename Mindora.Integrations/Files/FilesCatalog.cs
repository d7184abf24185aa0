using System.Text;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Files;

/// <summary>
/// The SQL of <c>files.db</c>: which buckets exist, every version of every key (<c>versions</c>,
/// a null blob being a delete marker) and the current live version of each key (<c>current</c>).
/// Keys live only here, never in a file path. App and bucket are separate columns because
/// <c>{app}-{bucket}</c> would be ambiguous (app <c>docs</c> + bucket <c>a-b</c> vs app <c>docs-a</c> + bucket <c>b</c>).
/// Several versions may share a blob (copies, restores): a blob file goes only when no row names it.
/// </summary>
internal static partial class FilesCatalog
{
    /// <summary>Objects per page of a listing.</summary>
    public const int PageSize = 1000;

    public static IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS buckets (
            app TEXT NOT NULL,
            bucket TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (app, bucket))
        """,
        """
        CREATE TABLE IF NOT EXISTS versions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            app TEXT NOT NULL,
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            version_id TEXT NOT NULL,
            blob TEXT NULL,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            metadata TEXT NOT NULL,
            UNIQUE (app, bucket, key, version_id))
        """,
        "CREATE INDEX IF NOT EXISTS versions_by_blob ON versions (app, bucket, blob)",
        """
        CREATE TABLE IF NOT EXISTS current (
            app TEXT NOT NULL,
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (app, bucket, key))
        """,
        OrphansSchema,
    ];

    private const string VersionColumns = "v.key, v.blob, v.size, v.content_type, v.sha256, v.created_at, v.metadata, v.version_id, v.seq";

    public static async Task AddBucketAsync(SqliteSession session, string app, string bucket, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command("INSERT INTO buckets (app, bucket, created_at) VALUES (@app, @bucket, @now) ON CONFLICT DO NOTHING")
            .With("@app", app).With("@bucket", bucket).With("@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> BucketExistsAsync(SqliteSession session, string app, string bucket, CancellationToken cancellationToken)
    {
        using var command = session.Command("SELECT 1 FROM buckets WHERE app = @app AND bucket = @bucket")
            .With("@app", app).With("@bucket", bucket);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public static async Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(SqliteSession session, string app, CancellationToken cancellationToken)
    {
        using var command = session.Command("SELECT bucket, created_at FROM buckets WHERE app = @app ORDER BY bucket").With("@app", app);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buckets = new List<BucketInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new BucketInfo(reader.GetString(0), reader.GetUnixTime(1)));
        }

        return buckets;
    }

    /// <summary>Deletes the bucket and, when allowed, its rows. Null: no such bucket; false: not empty and not allowed.</summary>
    public static async Task<bool?> DeleteBucketAsync(SqliteSession session, string app, string bucket, bool deleteContent, CancellationToken cancellationToken)
    {
        if (!await BucketExistsAsync(session, app, bucket, cancellationToken))
        {
            return null;
        }

        using (var any = session.Command("SELECT 1 FROM versions WHERE app = @app AND bucket = @bucket LIMIT 1").With("@app", app).With("@bucket", bucket))
        {
            if (!deleteContent && await any.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        foreach (var table in new[] { "current", "versions", "buckets" })
        {
            using var delete = session.Command($"DELETE FROM {table} WHERE app = @app AND bucket = @bucket").With("@app", app).With("@bucket", bucket);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>The current version of a key, or the given version (which may be a delete marker).</summary>
    public static async Task<CatalogEntry?> FindAsync(SqliteSession session, string app, string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        var sql = versionId is null
            ? $"SELECT {VersionColumns} FROM current c JOIN versions v ON v.seq = c.seq WHERE c.app = @app AND c.bucket = @bucket AND c.key = @key"
            : $"SELECT {VersionColumns} FROM versions v WHERE v.app = @app AND v.bucket = @bucket AND v.key = @key AND v.version_id = @version";
        using var command = session.Command(sql).With("@app", app).With("@bucket", bucket).With("@key", key).With("@version", versionId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, bucket) : null;
    }

    /// <summary>
    /// One page of current objects in byte (= code point) order, keyset-paged after <paramref name="after"/>.
    /// The prefix becomes a range (<c>key &gt;= prefix AND key &lt; next(prefix)</c>) so the primary key index serves it.
    /// </summary>
    public static async Task<IReadOnlyList<ObjectInfo>> ListPageAsync(SqliteSession session, string app, string bucket, string? prefix, string? after, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {VersionColumns} FROM current c JOIN versions v ON v.seq = c.seq WHERE c.app = @app AND c.bucket = @bucket");
        using var command = session.Command(string.Empty).With("@app", app).With("@bucket", bucket);
        if (!string.IsNullOrEmpty(prefix))
        {
            sql.Append(" AND c.key >= @prefix AND c.key < CAST(@upper AS TEXT)");
            command.With("@prefix", prefix).With("@upper", UpperBound(prefix));
        }

        if (after is not null)
        {
            sql.Append(" AND c.key > @after");
            command.With("@after", after);
        }

        sql.Append(" ORDER BY c.key LIMIT @limit");
        command.With("@limit", limit);
        command.CommandText = sql.ToString();

        var page = new List<ObjectInfo>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(Read(reader, bucket).Info);
        }

        return page;
    }

    // UTF-8 never contains 0xFF, so bumping the last byte gives the smallest string above every key with this prefix.
    private static byte[] UpperBound(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return bytes;
    }

    private static CatalogEntry Read(SqliteDataReader reader, string bucket) =>
        new(
            new ObjectInfo(
                bucket,
                reader.GetString(0),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetUnixTime(5),
                ObjectMetadata.FromJson(reader.GetString(6)),
                reader.GetString(7)),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetInt64(8));
}
