using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

/// <summary>How Mindora's object description maps to S3: the SHA-256 travels as user metadata <c>mindora-sha256</c>.</summary>
internal static class S3Objects
{
    public const string Sha256Key = "mindora-sha256";

    public static ObjectInfo FromHead(string bucket, string key, GetObjectMetadataResponse head) =>
        new(
            bucket,
            key,
            head.ContentLength,
            head.Headers.ContentType ?? ContentTypes.OctetStream,
            head.Metadata[Sha256Key] ?? string.Empty,
            new DateTimeOffset(DateTime.SpecifyKind(head.LastModified ?? DateTime.UnixEpoch, DateTimeKind.Utc)),
            UserMetadata(head.Metadata),
            head.VersionId ?? "null");

    public static void WriteMetadata(MetadataCollection target, IReadOnlyDictionary<string, string> metadata, string? sha256)
    {
        foreach (var (key, value) in metadata)
        {
            target[key] = value;
        }

        if (sha256 is not null)
        {
            target[Sha256Key] = sha256;
        }
    }

    public static bool IsNotFound(AmazonS3Exception e) =>
        e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed || e.ErrorCode is "NoSuchKey" or "NoSuchVersion" or "NoSuchBucket";

    private static IReadOnlyDictionary<string, string> UserMetadata(MetadataCollection metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in metadata.Keys)
        {
            // The SDK reports keys with their header prefix; Mindora's keys are the bare lowercase names.
            var key = name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? name["x-amz-meta-".Length..] : name;
            key = key.ToLowerInvariant();
            if (key != Sha256Key)
            {
                result[key] = metadata[name];
            }
        }

        return result.Count == 0 ? ObjectMetadata.Empty : result;
    }
}
