namespace Mindora.Integrations.Files;

/// <summary>One version of a key: stored content, or a delete marker.</summary>
/// <param name="Key">The object key.</param>
/// <param name="VersionId">The version's id, opaque to callers.</param>
/// <param name="IsLatest">True for the newest version (when it is a delete marker, the object reads as deleted).</param>
/// <param name="IsDeleteMarker">True when this version records a delete.</param>
/// <param name="CreatedAt">When the version was made.</param>
/// <param name="Info">The content's description; null for a delete marker.</param>
public sealed record ObjectVersion(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker, DateTimeOffset CreatedAt, ObjectInfo? Info);
