namespace Mindora.Integrations.Files;

internal sealed partial class EmbeddedFilesProvider
{
    protected override async Task<bool> DeleteCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        return await DeleteKeyAsync(bucket, key, cancellationToken);
    }

    protected override async Task<IReadOnlyList<ObjectVersion>> ListVersionsCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        var entries = await _database.ReadAsync((session, ct) => FilesCatalog.ListVersionsAsync(session, _app, bucket, key, ct), cancellationToken);
        return entries
            .Select((e, i) => new ObjectVersion(key, e.Info.VersionId, i == 0, e.IsDeleteMarker, e.Info.CreatedAt, e.IsDeleteMarker ? null : e.Info))
            .ToList();
    }

    protected override async Task<ObjectInfo> RestoreVersionCoreAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        return await FromSourceAsync(
            bucket,
            key,
            versionId,
            async entry =>
            {
                // The new version shares the old one's blob: the catalog counts references.
                var info = entry.Info with { VersionId = NewVersionId(), CreatedAt = Now() };
                await CommitVersionAsync(info, entry.Blob);
                return info;
            },
            cancellationToken);
    }

    protected override async Task<bool> DeleteVersionCoreAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        var orphans = await WriteOrphaningAsync(bucket, (session, ct) => FilesCatalog.DeleteVersionAsync(session, _app, bucket, key, versionId, ct), cancellationToken);
        return orphans is not null;
    }

    private async Task<bool> DeleteKeyAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var marker = new ObjectInfo(bucket, key, 0, string.Empty, string.Empty, Now(), ObjectMetadata.Empty, NewVersionId());
        var orphans = await WriteOrphaningAsync(bucket, (session, ct) => FilesCatalog.DeleteAsync(session, _app, bucket, key, Options.Versioning, marker, ct), cancellationToken);
        return orphans is not null;
    }
}
