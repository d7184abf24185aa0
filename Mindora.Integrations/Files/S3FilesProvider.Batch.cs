using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

internal sealed partial class S3FilesProvider
{
    protected override async Task<int> DeleteManyCoreAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        var deleted = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            if (await DeleteKeyAsync(bucket, physical, key, ct))
            {
                Interlocked.Increment(ref deleted);
            }
        });
        return deleted;
    }

    protected override async Task<ObjectInfo> CopyCoreAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken)
    {
        var sourcePhysical = await RequirePhysicalAsync(sourceBucket, cancellationToken);
        var targetPhysical = await RequirePhysicalAsync(targetBucket, cancellationToken);
        var source = await HeadAsync(sourceBucket, sourceKey, null, cancellationToken)
            ?? throw new MindoraNotFoundException($"Object '{sourceKey}' in bucket '{sourceBucket}'");

        // Copy the exact version read above, so a concurrent overwrite cannot change what is copied.
        var copied = await S3Copies.CopyAsync(
            _s3,
            new CopyObjectRequest
            {
                SourceBucket = sourcePhysical,
                SourceKey = sourceKey,
                SourceVersionId = source.VersionId == "null" ? null : source.VersionId,
                DestinationBucket = targetPhysical,
                DestinationKey = targetKey,
            },
            cancellationToken);
        return await HeadAsync(targetBucket, targetKey, copied, cancellationToken)
            ?? throw new MindoraNotFoundException($"Object '{targetKey}' in bucket '{targetBucket}'");
    }
}
