namespace Mindora.Integrations.Files;

internal sealed partial class EmbeddedFilesProvider
{
    public Task<int> DeleteManyAsync(string bucket, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        ArgumentNullException.ThrowIfNull(keys);
        var all = keys.Select(k => FilesArguments.Key(k, nameof(keys))).Distinct(StringComparer.Ordinal).ToList();
        return _telemetry.RunAsync("delete_many", name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            var deleted = 0;
            foreach (var key in all)
            {
                deleted += await DeleteCoreAsync(name, key, cancellationToken) ? 1 : 0;
            }

            return deleted;
        });
    }

    public Task<ObjectInfo> CopyAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken = default)
    {
        var (source, target) = FilesBatch.CopyArguments(sourceBucket, sourceKey, targetBucket, targetKey, prefixes: false);
        return _telemetry.RunAsync("copy", target, () => CopyCoreAsync(source, sourceKey, target, targetKey, cancellationToken));
    }

    public Task<int> CopyPrefixAsync(string sourceBucket, string sourcePrefix, string targetBucket, string targetPrefix, CancellationToken cancellationToken = default)
    {
        var (source, target) = FilesBatch.CopyArguments(sourceBucket, sourcePrefix, targetBucket, targetPrefix, prefixes: true);
        return _telemetry.RunAsync("copy_prefix", target, async () =>
        {
            await RequireBucketAsync(target, cancellationToken);
            return await FilesBatch.CopyPrefixAsync(this, source, sourcePrefix, target, targetPrefix, (from, to, ct) => CopyCoreAsync(source, from, target, to, ct), cancellationToken);
        });
    }

    private async Task<ObjectInfo> CopyCoreAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(sourceBucket, cancellationToken);
        await RequireBucketAsync(targetBucket, cancellationToken);
        var entry = await FindAsync(sourceBucket, sourceKey, null, cancellationToken)
            ?? throw new MindoraNotFoundException($"Object '{sourceKey}' in bucket '{sourceBucket}'");
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
            await using (var from = new FileStream(BlobPath(sourceBucket, entry.Blob!), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                await BlobStaging.WriteAsync(from, tempPath, long.MaxValue, cancellationToken);
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
                TryDeleteFile(tempPath);
                TryDeleteFile(Path.Combine(directory, blob));
            }
        }
    }
}
