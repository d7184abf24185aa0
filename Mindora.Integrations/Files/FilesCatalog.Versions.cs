namespace Mindora.Integrations.Files;

internal static partial class FilesCatalog
{
    /// <summary>
    /// Adds a version (a delete marker when <paramref name="blob"/> is null) and makes it current.
    /// Without versioning the key's other versions go. Returns the blobs no row names any more.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AddVersionAsync(SqliteSession session, string app, ObjectInfo info, string? blob, bool versioning, CancellationToken cancellationToken)
    {
        var dropped = versioning ? [] : await RemoveVersionsAsync(session, app, info.Bucket, info.Key, cancellationToken);
        long seq;
        using (var insert = session.Command(
            """
            INSERT INTO versions (app, bucket, key, version_id, blob, size, content_type, sha256, created_at, metadata)
            VALUES (@app, @bucket, @key, @version, @blob, @size, @contentType, @sha256, @createdAt, @metadata)
            RETURNING seq
            """)
            .With("@app", app).With("@bucket", info.Bucket).With("@key", info.Key).With("@version", info.VersionId).With("@blob", blob)
            .With("@size", info.Size).With("@contentType", info.ContentType).With("@sha256", info.Sha256)
            .With("@createdAt", info.CreatedAt.ToUnixTimeMilliseconds()).With("@metadata", ObjectMetadata.ToJson(info.Metadata)))
        {
            seq = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        await SetCurrentAsync(session, app, info.Bucket, info.Key, blob is null ? null : seq, cancellationToken);
        return await OrphansAsync(session, app, info.Bucket, dropped, cancellationToken);
    }

    /// <summary>
    /// Deletes the current object: a delete marker with versioning, every version without.
    /// Returns null when there was no current object, else the blobs no row names any more.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> DeleteAsync(SqliteSession session, string app, string bucket, string key, bool versioning, ObjectInfo marker, CancellationToken cancellationToken)
    {
        if (await FindAsync(session, app, bucket, key, null, cancellationToken) is null)
        {
            return null;
        }

        if (versioning)
        {
            return await AddVersionAsync(session, app, marker, null, versioning: true, cancellationToken);
        }

        var dropped = await RemoveVersionsAsync(session, app, bucket, key, cancellationToken);
        await SetCurrentAsync(session, app, bucket, key, null, cancellationToken);
        return await OrphansAsync(session, app, bucket, dropped, cancellationToken);
    }

    /// <summary>Every version of a key, newest first.</summary>
    public static async Task<IReadOnlyList<CatalogEntry>> ListVersionsAsync(SqliteSession session, string app, string bucket, string key, CancellationToken cancellationToken)
    {
        using var command = session.Command($"SELECT {VersionColumns} FROM versions v WHERE v.app = @app AND v.bucket = @bucket AND v.key = @key ORDER BY v.seq DESC")
            .With("@app", app).With("@bucket", bucket).With("@key", key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<CatalogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Read(reader, bucket));
        }

        return versions;
    }

    /// <summary>
    /// Deletes one version for good; the newest remaining version becomes current (none when it is
    /// a delete marker), as in S3. Null when there was no such version, else the orphaned blobs.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> DeleteVersionAsync(SqliteSession session, string app, string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        string? blob;
        using (var delete = session.Command("DELETE FROM versions WHERE app = @app AND bucket = @bucket AND key = @key AND version_id = @version RETURNING blob")
            .With("@app", app).With("@bucket", bucket).With("@key", key).With("@version", versionId))
        {
            using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            blob = reader.IsDBNull(0) ? null : reader.GetString(0);
        }

        var remaining = await ListVersionsAsync(session, app, bucket, key, cancellationToken);
        var newest = remaining.Count > 0 ? remaining[0] : null;
        await SetCurrentAsync(session, app, bucket, key, newest is { IsDeleteMarker: false } ? newest.Seq : null, cancellationToken);
        return await OrphansAsync(session, app, bucket, blob is null ? [] : [blob], cancellationToken);
    }

    private static async Task SetCurrentAsync(SqliteSession session, string app, string bucket, string key, long? seq, CancellationToken cancellationToken)
    {
        using var command = seq is null
            ? session.Command("DELETE FROM current WHERE app = @app AND bucket = @bucket AND key = @key")
            : session.Command("INSERT INTO current (app, bucket, key, seq) VALUES (@app, @bucket, @key, @seq) ON CONFLICT (app, bucket, key) DO UPDATE SET seq = excluded.seq");
        await command.With("@app", app).With("@bucket", bucket).With("@key", key).With("@seq", seq).ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> RemoveVersionsAsync(SqliteSession session, string app, string bucket, string key, CancellationToken cancellationToken)
    {
        using var command = session.Command("DELETE FROM versions WHERE app = @app AND bucket = @bucket AND key = @key RETURNING blob")
            .With("@app", app).With("@bucket", bucket).With("@key", key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var blobs = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                blobs.Add(reader.GetString(0));
            }
        }

        return blobs;
    }

    private static async Task<IReadOnlyList<string>> OrphansAsync(SqliteSession session, string app, string bucket, IReadOnlyList<string> blobs, CancellationToken cancellationToken)
    {
        var orphans = new List<string>();
        foreach (var blob in blobs.Distinct(StringComparer.Ordinal))
        {
            using var command = session.Command("SELECT 1 FROM versions WHERE app = @app AND bucket = @bucket AND blob = @blob LIMIT 1")
                .With("@app", app).With("@bucket", bucket).With("@blob", blob);
            if (await command.ExecuteScalarAsync(cancellationToken) is null)
            {
                orphans.Add(blob);
            }
        }

        return orphans;
    }
}
