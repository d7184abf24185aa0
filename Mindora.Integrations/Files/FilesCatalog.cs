using System.Text;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Files;

/// <summary>
/// The SQL of <c>files.db</c>: which buckets exist and which blob holds each (app, bucket, key).
/// Keys live only here, never in a file path. App and bucket are separate columns because
/// <c>{app}-{bucket}</c> would be ambiguous (app <c>docs</c> + bucket <c>a-b</c> vs app <c>docs-a</c> + bucket <c>b</c>).
/// </summary>
internal static class FilesCatalog
{
    /// <summary>Objects per page of a listing.</summary>
    public const int PageSize = 500;

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
        CREATE TABLE IF NOT EXISTS objects (
            app TEXT NOT NULL,
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            metadata TEXT NOT NULL,
            PRIMARY KEY (app, bucket, key))
        """,
    ];

    private const string ObjectColumns = "key, blob, size, content_type, sha256, created_at, metadata";

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

    public static async Task<CatalogEntry?> FindAsync(SqliteSession session, string app, string bucket, string key, CancellationToken cancellationToken)
    {
        using var command = session.Command($"SELECT {ObjectColumns} FROM objects WHERE app = @app AND bucket = @bucket AND key = @key")
            .With("@app", app).With("@bucket", bucket).With("@key", key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, bucket) : null;
    }

    /// <summary>Inserts or replaces the row; returns the blob it replaced, if any.</summary>
    public static async Task<string?> UpsertAsync(SqliteSession session, string app, ObjectInfo info, string blob, CancellationToken cancellationToken)
    {
        string? previous;
        using (var find = session.Command("SELECT blob FROM objects WHERE app = @app AND bucket = @bucket AND key = @key")
            .With("@app", app).With("@bucket", info.Bucket).With("@key", info.Key))
        {
            previous = await find.ExecuteScalarAsync(cancellationToken) as string;
        }

        using var upsert = session.Command(
            """
            INSERT INTO objects (app, bucket, key, blob, size, content_type, sha256, created_at, metadata)
            VALUES (@app, @bucket, @key, @blob, @size, @contentType, @sha256, @createdAt, @metadata)
            ON CONFLICT (app, bucket, key) DO UPDATE SET
                blob = excluded.blob, size = excluded.size, content_type = excluded.content_type,
                sha256 = excluded.sha256, created_at = excluded.created_at, metadata = excluded.metadata
            """)
            .With("@app", app).With("@bucket", info.Bucket).With("@key", info.Key).With("@blob", blob)
            .With("@size", info.Size).With("@contentType", info.ContentType).With("@sha256", info.Sha256)
            .With("@createdAt", info.CreatedAt.ToUnixTimeMilliseconds()).With("@metadata", ObjectMetadata.ToJson(info.Metadata));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        return previous;
    }

    /// <summary>Deletes the row; returns its blob, or null when there was none.</summary>
    public static async Task<string?> DeleteAsync(SqliteSession session, string app, string bucket, string key, CancellationToken cancellationToken)
    {
        using var command = session.Command("DELETE FROM objects WHERE app = @app AND bucket = @bucket AND key = @key RETURNING blob")
            .With("@app", app).With("@bucket", bucket).With("@key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// One page of keys in byte (= code point) order, keyset-paged after <paramref name="after"/>.
    /// The prefix becomes a range (<c>key &gt;= prefix AND key &lt; next(prefix)</c>) so the primary key index serves it.
    /// </summary>
    public static async Task<IReadOnlyList<ObjectInfo>> ListPageAsync(SqliteSession session, string app, string bucket, string? prefix, string? after, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {ObjectColumns} FROM objects WHERE app = @app AND bucket = @bucket");
        using var command = session.Command(string.Empty).With("@app", app).With("@bucket", bucket);
        if (!string.IsNullOrEmpty(prefix))
        {
            sql.Append(" AND key >= @prefix AND key < CAST(@upper AS TEXT)");
            command.With("@prefix", prefix).With("@upper", UpperBound(prefix));
        }

        if (after is not null)
        {
            sql.Append(" AND key > @after");
            command.With("@after", after);
        }

        sql.Append(" ORDER BY key LIMIT @limit");
        command.With("@limit", PageSize);
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
                ObjectMetadata.FromJson(reader.GetString(6))),
            reader.GetString(1));
}
