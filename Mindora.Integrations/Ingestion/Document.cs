using Mindora.Integrations.Data;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// A document's row in <see cref="DocumentsDb"/> (table <c>documents</c>): its metadata, where
/// it is in processing and what processing found. Its <see cref="MindoraEntity.Id"/> formatted
/// <c>"N"</c> is the document id of URLs and object keys. Apps read documents through
/// <see cref="DocumentCatalog"/>, which returns them as <see cref="DocumentRecord"/>.
/// </summary>
public sealed class Document : MindoraEntity
{
    /// <summary>The longest title kept; longer ones are shortened.</summary>
    public const int MaxTitleLength = 500;

    /// <summary>The longest file name or content type accepted.</summary>
    public const int MaxNameLength = 255;

    /// <summary>The longest stored tag list (comma-separated).</summary>
    public const int MaxTagsLength = 500;

    /// <summary>The longest stored step list.</summary>
    public const int MaxStepsLength = 200;

    /// <summary>The title (the first heading or line, else the file name).</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>The name it was uploaded under.</summary>
    public string FileName { get; set; } = string.Empty;

    /// <summary>Its content type.</summary>
    public string ContentType { get; set; } = string.Empty;

    /// <summary>Its size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>Its SHA-256, lowercase hex.</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>Where it is in processing.</summary>
    public DocumentStatus Status { get; set; }

    /// <summary>Why processing failed, when it did.</summary>
    public string? Error { get; set; }

    /// <summary>How many characters of text extraction found.</summary>
    public int? Characters { get; set; }

    /// <summary>How many pages the document has, when its type has pages (PDF).</summary>
    public int? Pages { get; set; }

    /// <summary>The <c>index-document</c> task that made it searchable.</summary>
    public string? IndexTaskId { get; set; }

    /// <summary>The tags given at upload, comma-separated (see <see cref="DocumentTags"/>), or null.</summary>
    public string? Tags { get; set; }

    /// <summary>How many chunks partitioning made; null until it ran.</summary>
    public int? Chunks { get; set; }

    /// <summary>The status of each pipeline step (see <see cref="DocumentSteps"/>), or null before the first ran.</summary>
    public string? Steps { get; set; }
}
