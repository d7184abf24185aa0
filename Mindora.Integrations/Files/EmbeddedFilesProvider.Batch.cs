namespace Mindora.Integrations.Files;

internal sealed partial class EmbeddedFilesProvider
{
    protected override async Task<int> DeleteManyCoreAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        var deleted = 0;
        foreach (var key in keys)
        {
            deleted += await DeleteKeyAsync(bucket, key, cancellationToken) ? 1 : 0;
        }

        return deleted;
    }

    protected override async Task<ObjectInfo> CopyCoreAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(sourceBucket, cancellationToken);
        await RequireBucketAsync(targetBucket, cancellationToken);
        return await FromSourceAsync(
            sourceBucket,
            sourceKey,
            null,
            entry => CopyEntryAsync(entry, sourceBucket, sourceKey, targetBucket, targetKey, cancellationToken),
            cancellationToken);
    }

    private async Task<ObjectInfo> CopyEntryAsync(CatalogEntry entry, string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken)
    {
        var info = entry.Info with { Bucket = targetBucket, Key = targetKey, VersionId = NewVersionId(), CreatedAt = Now() };
        if (sourceBucket == targetBucket)
        {
            // Same bucket: the new version shares the blob.
            await CommitVersionAsync(info, entry.Blob);
            return info;
        }

        // Another bucket has its own directory: copy the file under a temporary name, then rename, as uploads do.
        var directory = CreateBucketDirectory(targetBucket);
        var blob = Guid.NewGuid().ToString("N");
        var tempPath = Path.Combine(directory, blob + ".tmp");
        var committed = false;
        try
        {
            await using (var from = OpenSource(sourceBucket, sourceKey, entry.Blob!))
            {
                await BlobStaging.WriteAsync(from, tempPath, long.MaxValue, _telemetry, cancellationToken);
            }

            File.Move(tempPath, Path.Combine(directory, blob));
            await CommitVersionAsync(info, blob);
            committed = true;
            return info;
        }
        finally
        {
            if (!committed)
            {
                OrphanReaper.TryDelete(tempPath);
                OrphanReaper.TryDelete(Path.Combine(directory, blob));
            }
        }
    }

    /// <summary>Opens a source blob; one deleted for good and reaped since its row was read is not found.</summary>
    private FileStream OpenSource(string bucket, string key, string blob)
    {
        try
        {
            return new FileStream(BlobPath(bucket, blob), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MindoraNotFoundException($"Object '{key}' in bucket '{bucket}' (deleted while it was being copied)");
        }
    }
}
