using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

internal sealed partial class S3FilesProvider
{
    protected override async Task<bool> DeleteCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        return await DeleteKeyAsync(bucket, physical, key, cancellationToken);
    }

    protected override async Task<IReadOnlyList<ObjectVersion>> ListVersionsCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        var versions = new List<ObjectVersion>();
        foreach (var version in await VersionsOfAsync(physical, key, cancellationToken))
        {
            var marker = version.IsDeleteMarker == true;
            var info = marker ? null : await HeadAsync(bucket, key, version.VersionId, cancellationToken);
            var created = new DateTimeOffset(DateTime.SpecifyKind(version.LastModified ?? DateTime.UnixEpoch, DateTimeKind.Utc));
            versions.Add(new ObjectVersion(key, version.VersionId ?? "null", versions.Count == 0, marker, created, info));
        }

        return versions;
    }

    protected override async Task<ObjectInfo> RestoreVersionCoreAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        if (await HeadAsync(bucket, key, versionId, cancellationToken) is null)
        {
            throw new MindoraNotFoundException($"Version '{versionId}' of object '{key}' in bucket '{bucket}'");
        }

        var copied = await S3Copies.CopyAsync(
            _s3, new CopyObjectRequest { SourceBucket = physical, SourceKey = key, SourceVersionId = versionId, DestinationBucket = physical, DestinationKey = key }, cancellationToken);
        return await HeadAsync(bucket, key, copied, cancellationToken) ?? throw new MindoraNotFoundException($"Object '{key}' in bucket '{bucket}'");
    }

    protected override async Task<bool> DeleteVersionCoreAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        if (!(await VersionsOfAsync(physical, key, cancellationToken)).Any(v => v.VersionId == versionId))
        {
            return false;
        }

        await S3Resilience.RunAsync(ct => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = physical, Key = key, VersionId = versionId }, ct), cancellationToken);
        return true;
    }

    private async Task<bool> DeleteKeyAsync(string bucket, string physical, string key, CancellationToken cancellationToken)
    {
        // S3 answers 204 whether or not the key existed; the caller wants to know.
        if (await HeadAsync(bucket, key, null, cancellationToken) is null)
        {
            return false;
        }

        // Versioned: a delete marker; unversioned (Versioning off when the bucket was created): gone.
        await S3Resilience.RunAsync(ct => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = physical, Key = key }, ct), cancellationToken);
        return true;
    }

    /// <summary>The versions and delete markers of exactly <paramref name="key"/>, newest first.</summary>
    private async Task<IReadOnlyList<S3ObjectVersion>> VersionsOfAsync(string physical, string key, CancellationToken cancellationToken)
    {
        var result = new List<S3ObjectVersion>();
        string? keyMarker = null;
        string? versionMarker = null;
        while (true)
        {
            var page = await S3Resilience.RunAsync(
                ct => _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = physical, Prefix = key, KeyMarker = keyMarker, VersionIdMarker = versionMarker }, ct),
                cancellationToken);
            result.AddRange((page.Versions ?? []).Where(v => v.Key == key));
            if (page.IsTruncated != true)
            {
                break;
            }

            (keyMarker, versionMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }

        return result.OrderByDescending(v => v.LastModified).ToList();
    }
}
