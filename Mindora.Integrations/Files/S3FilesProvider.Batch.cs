using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

internal sealed partial class S3FilesProvider
{
    public Task<int> DeleteManyAsync(string bucket, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        ArgumentNullException.ThrowIfNull(keys);
        var all = keys.Select(k => FilesArguments.Key(k, nameof(keys))).Distinct(StringComparer.Ordinal).ToList();
        return _telemetry.RunAsync("delete_many", name, async () =>
        {
            var physical = await RequireBucketAsync(name, cancellationToken);
            var deleted = 0;
            await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (key, ct) =>
            {
                if (await DeleteCoreAsync(name, physical, key, ct))
                {
                    Interlocked.Increment(ref deleted);
                }
            });
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
        var sourcePhysical = await RequireBucketAsync(sourceBucket, cancellationToken);
        var targetPhysical = await RequireBucketAsync(targetBucket, cancellationToken);
        var source = await HeadAsync(sourceBucket, sourceKey, null, cancellationToken)
            ?? throw new MindoraNotFoundException($"Object '{sourceKey}' in bucket '{sourceBucket}'");

        // Copy the exact version read above, so a concurrent overwrite cannot change what is copied.
        var copied = await S3Resilience.RunAsync(
            ct => _s3.CopyObjectAsync(
                new CopyObjectRequest
                {
                    SourceBucket = sourcePhysical,
                    SourceKey = sourceKey,
                    SourceVersionId = source.VersionId == "null" ? null : source.VersionId,
                    DestinationBucket = targetPhysical,
                    DestinationKey = targetKey,
                },
                ct),
            cancellationToken);
        return await HeadAsync(targetBucket, targetKey, copied.VersionId, cancellationToken)
            ?? throw new MindoraNotFoundException($"Object '{targetKey}' in bucket '{targetBucket}'");
    }
}
