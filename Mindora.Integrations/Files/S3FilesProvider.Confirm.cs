using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

internal sealed partial class S3FilesProvider
{
    // A presigned PUT went straight to S3, so nothing checked its size or recorded its SHA-256:
    // confirming does both, as an upload would, before the object is announced.
    protected override async Task<ObjectInfo> CompleteClientUploadAsync(string bucket, string key, ObjectInfo info, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        var version = info.VersionId is "" or "null" ? null : info.VersionId;
        if (info.Size > Options.MaxUploadBytes)
        {
            await S3Resilience.RunAsync(ct => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = physical, Key = key, VersionId = version }, ct), cancellationToken);
            throw new MindoraPayloadTooLargeException($"Object '{key}' that a client stored in bucket '{bucket}' (it was removed)", Options.MaxUploadBytes);
        }

        var sha = await HashAsync(physical, key, version, cancellationToken);
        var copy = S3Copies.Restamp(physical, key, version, info.ContentType, info.Metadata, sha);
        var copied = await S3Copies.CopyAsync(_s3, copy, cancellationToken);

        // On a versioned bucket the client's version lacks the SHA-256: the stamped copy replaces it.
        if (version is not null && copied != version)
        {
            await S3Resilience.RunAsync(ct => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = physical, Key = key, VersionId = version }, ct), cancellationToken);
        }

        _telemetry.BytesIn(bucket, info.Size);
        return await HeadAsync(bucket, key, copied, cancellationToken)
            ?? throw new MindoraIntegrityException($"Object '{key}' in bucket '{bucket}' was stamped with its SHA-256 but cannot be read back.");
    }

    private async Task<string> HashAsync(string physical, string key, string? version, CancellationToken cancellationToken)
    {
        using var response = await S3Resilience.RunAsync(ct => _s3.GetObjectAsync(new GetObjectRequest { BucketName = physical, Key = key, VersionId = version }, ct), cancellationToken);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(response.ResponseStream, cancellationToken));
    }
}
