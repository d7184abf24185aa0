namespace Mindora.Integrations.Files;

/// <summary>Describes a stored object.</summary>
/// <param name="Bucket">The bucket, as the app names it.</param>
/// <param name="Key">The object key.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="ContentType">The media type, given by the uploader or detected from the content.</param>
/// <param name="Sha256">The SHA-256 of the content, lowercase hex.</param>
/// <param name="CreatedAt">When this version of the object was stored.</param>
/// <param name="Metadata">User metadata; keys are lowercase.</param>
/// <param name="VersionId">The version this description belongs to (opaque; stores without versioning say <c>null</c>).</param>
public sealed record ObjectInfo(
    string Bucket,
    string Key,
    long Size,
    string ContentType,
    string Sha256,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> Metadata,
    string VersionId);
