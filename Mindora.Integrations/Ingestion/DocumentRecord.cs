namespace Mindora.Integrations.Ingestion;

/// <summary>Where a document is in its processing.</summary>
public enum DocumentStatus
{
    /// <summary>Stored; waiting for a worker.</summary>
    Queued,

    /// <summary>A worker is extracting or indexing it.</summary>
    Processing,

    /// <summary>Searchable.</summary>
    Indexed,

    /// <summary>Processing ended with an error (see <see cref="DocumentRecord.Error"/>).</summary>
    Failed,
}

/// <summary>A document of an app: its file, its metadata and its processing status.</summary>
/// <param name="Id">The document id (32 lowercase hex characters).</param>
/// <param name="Title">The title (the first heading or line, else the file name).</param>
/// <param name="FileName">The name it was uploaded under.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256, hex.</param>
/// <param name="Status">Where it is in processing.</param>
/// <param name="Error">Why processing failed, when it did.</param>
/// <param name="CreatedAt">When it was uploaded.</param>
/// <param name="UpdatedAt">When its status last changed.</param>
public sealed record DocumentRecord(
    string Id,
    string Title,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    DocumentStatus Status,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
