using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

/// <summary>
/// Server-side copies that report the version they made. AWS and MinIO answer a copy with
/// <c>x-amz-version-id</c>; Ceph's RADOS Gateway (16.x) does not, so there the new version is the
/// newest one of the target key carrying the copy's ETag, other than the copy's source.
/// </summary>
internal static class S3Copies
{
    /// <summary>
    /// A copy of a version onto its own key with new metadata (user metadata and the SHA-256):
    /// how an object gets the hash S3 could not record while the bytes arrived.
    /// </summary>
    public static CopyObjectRequest Restamp(string bucket, string key, string? versionId, string contentType, IReadOnlyDictionary<string, string> metadata, string sha256)
    {
        var copy = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = key,
            SourceVersionId = versionId,
            DestinationBucket = bucket,
            DestinationKey = key,
            ContentType = contentType,
            MetadataDirective = S3MetadataDirective.REPLACE,
        };
        S3Objects.WriteMetadata(copy.Metadata, metadata, sha256);
        return copy;
    }

    /// <summary>Copies; returns the new version's id, <c>"null"</c> in an unversioned bucket, or null when the store cannot tell.</summary>
    public static async Task<string?> CopyAsync(IAmazonS3 s3, CopyObjectRequest request, CancellationToken cancellationToken)
    {
        var copied = await S3Resilience.RunAsync(ct => s3.CopyObjectAsync(request, ct), cancellationToken);
        return copied.VersionId ?? await FindCopyAsync(s3, request, copied.ETag, cancellationToken);
    }

    private static async Task<string?> FindCopyAsync(IAmazonS3 s3, CopyObjectRequest request, string? etag, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return null;
        }

        // Versions of one key come newest first; the copy was just made, so it is among the first.
        var page = await S3Resilience.RunAsync(
            ct => s3.ListVersionsAsync(new ListVersionsRequest { BucketName = request.DestinationBucket, Prefix = request.DestinationKey, MaxKeys = 100 }, ct),
            cancellationToken);
        var sameObject = request.SourceBucket == request.DestinationBucket && request.SourceKey == request.DestinationKey;
        return (page.Versions ?? [])
            .FirstOrDefault(v => v.Key == request.DestinationKey && v.IsDeleteMarker != true
                && v.ETag?.Trim('"') == etag.Trim('"')
                && !(sameObject && v.VersionId == request.SourceVersionId))
            ?.VersionId;
    }
}
