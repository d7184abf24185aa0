namespace Mindora.Integrations.Data;

/// <summary>
/// The metadata of a stored file (its bytes live in object storage): map it with
/// <c>modelBuilder.MapMindoraFileRecords()</c>. (<see cref="Bucket"/>, <see cref="Key"/>) is unique.
/// </summary>
public class FileRecord : MindoraEntity
{
    /// <summary>The bucket the object is in.</summary>
    public string Bucket { get; set; } = string.Empty;

    /// <summary>The object key inside the bucket.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The file name as the user gave it.</summary>
    public string FileName { get; set; } = string.Empty;

    /// <summary>The media type, e.g. <c>application/pdf</c>.</summary>
    public string ContentType { get; set; } = string.Empty;

    /// <summary>The size in bytes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>The SHA-256 of the content, lowercase hex, when known.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Who uploaded it, when known.</summary>
    public string? UploadedBy { get; set; }
}
