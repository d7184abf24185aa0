namespace Mindora.Integrations.Files;

internal static partial class FilesCatalog
{
    /// <summary>
    /// Blob files no version names any more, recorded in the transaction that orphaned them and
    /// removed by <see cref="OrphanReaper"/> after the caller has its answer; a crash in between
    /// leaves the row, so the next reap still deletes the file.
    /// </summary>
    public const string OrphansSchema =
        """
        CREATE TABLE IF NOT EXISTS orphans (
            app TEXT NOT NULL,
            bucket TEXT NOT NULL,
            blob TEXT NOT NULL,
            PRIMARY KEY (app, bucket, blob))
        """;

    public static async Task RecordOrphansAsync(SqliteSession session, string app, string bucket, IReadOnlyList<string> blobs, CancellationToken cancellationToken)
    {
        foreach (var blob in blobs)
        {
            using var command = session.Command("INSERT INTO orphans (app, bucket, blob) VALUES (@app, @bucket, @blob) ON CONFLICT DO NOTHING")
                .With("@app", app).With("@bucket", bucket).With("@blob", blob);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Up to <paramref name="limit"/> recorded orphans of the app, each saying whether a version names its blob again.</summary>
    public static async Task<IReadOnlyList<(string Bucket, string Blob, bool Referenced)>> RecordedOrphansAsync(SqliteSession session, string app, int limit, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            """
            SELECT o.bucket, o.blob, EXISTS (SELECT 1 FROM versions v WHERE v.app = o.app AND v.bucket = o.bucket AND v.blob = o.blob)
            FROM orphans o WHERE o.app = @app LIMIT @limit
            """)
            .With("@app", app).With("@limit", limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var orphans = new List<(string, string, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            orphans.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
        }

        return orphans;
    }

    public static async Task ForgetOrphansAsync(SqliteSession session, string app, IReadOnlyList<(string Bucket, string Blob, bool Referenced)> orphans, CancellationToken cancellationToken)
    {
        foreach (var (bucket, blob, _) in orphans)
        {
            using var command = session.Command("DELETE FROM orphans WHERE app = @app AND bucket = @bucket AND blob = @blob")
                .With("@app", app).With("@bucket", bucket).With("@blob", blob);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
