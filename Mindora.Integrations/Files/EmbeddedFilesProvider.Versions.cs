namespace Mindora.Integrations.Files;

internal sealed partial class EmbeddedFilesProvider
{
    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return _telemetry.RunAsync("delete", name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            return await DeleteCoreAsync(name, key, cancellationToken);
        });
    }

    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return _telemetry.RunAsync("list_versions", name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            var entries = await _database.ReadAsync((session, ct) => FilesCatalog.ListVersionsAsync(session, _app, name, key, ct), cancellationToken);
            return (IReadOnlyList<ObjectVersion>)entries
                .Select((e, i) => new ObjectVersion(key, e.Info.VersionId, i == 0, e.IsDeleteMarker, e.Info.CreatedAt, e.IsDeleteMarker ? null : e.Info))
                .ToList();
        });
    }

    public Task<ObjectInfo> RestoreVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        FilesArguments.VersionId(versionId);
        return _telemetry.RunAsync("restore_version", name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            var entry = await FindAsync(name, key, versionId, cancellationToken);
            if (entry is null || entry.IsDeleteMarker)
            {
                throw new MindoraNotFoundException($"Version '{versionId}' of object '{key}' in bucket '{name}'");
            }

            // The new version shares the old one's blob: the catalog counts references.
            var info = entry.Info with { VersionId = NewVersionId(), CreatedAt = Now() };
            await CommitVersionAsync(info, entry.Blob);
            return info;
        });
    }

    public Task<bool> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        FilesArguments.VersionId(versionId);
        return _telemetry.RunAsync("delete_version", name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            var orphans = await _database.WriteAsync((session, ct) => FilesCatalog.DeleteVersionAsync(session, _app, name, key, versionId, ct), cancellationToken);
            DeleteBlobs(name, orphans ?? []);
            return orphans is not null;
        });
    }

    private async Task<bool> DeleteCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var marker = new ObjectInfo(bucket, key, 0, string.Empty, string.Empty, Now(), ObjectMetadata.Empty, NewVersionId());
        var orphans = await _database.WriteAsync((session, ct) => FilesCatalog.DeleteAsync(session, _app, bucket, key, _options.Versioning, marker, ct), cancellationToken);
        DeleteBlobs(bucket, orphans ?? []);
        return orphans is not null;
    }
}
