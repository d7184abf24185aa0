using System.Text.Json.Serialization;

namespace Mindora.Integrations.Ingestion;

/// <summary>Where a document is in its processing. Written as its name in JSON (the audit log, APIs).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DocumentStatus>))]
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

/// <summary>A document of an app: its file, its metadata, its processing status and what processing found.</summary>
/// <param name="Id">The document id (32 lowercase hex characters).</param>
/// <param name="Title">The title (the first heading or line, else the file name).</param>
/// <param name="FileName">The name it was uploaded under.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256, hex.</param>
/// <param name="Status">Where it is in processing.</param>
/// <param name="Error">Why processing failed, when it did.</param>
/// <param name="CreatedAt">When it was uploaded.</param>
/// <param name="UpdatedAt">When it last changed.</param>
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
    DateTimeOffset UpdatedAt)
{
    /// <summary>How many characters of text extraction found; null until it ran.</summary>
    public int? Characters { get; init; }

    /// <summary>How many pages the document has, when its type has pages (PDF); null otherwise.</summary>
    public int? Pages { get; init; }

    /// <summary>The <c>index-document</c> task that made the document searchable; null until one did.</summary>
    public string? IndexTaskId { get; init; }

    /// <summary>The tags given at upload, comma-separated and normalized (see <see cref="DocumentTags"/>); null when none.</summary>
    public string? Tags { get; init; }

    /// <summary>How many chunks partitioning made; null until it ran.</summary>
    public int? Chunks { get; init; }

    /// <summary>The status of each pipeline step, <c>extract=done;partition=done;embed=running</c> (see <see cref="DocumentSteps"/>); null before the first ran.</summary>
    public string? Steps { get; init; }
}
