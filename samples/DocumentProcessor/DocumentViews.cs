using System.Text.Json;
using Mindora.Integrations.Data;
using Mindora.Integrations.Ingestion;

namespace DocumentProcessor;

/// <summary>A document as the API returns it, with what processing found (characters and pages, once extracted).</summary>
public sealed record DocumentView(string Id, string Title, string FileName, string ContentType, long Size, string Status, string? Error, int? Characters, int? Pages, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The tags given at upload.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>How many chunks partitioning made (null until it ran).</summary>
    public int? Chunks { get; init; }

    /// <summary>Each pipeline step's status: extract, partition, embed, save.</summary>
    public IReadOnlyDictionary<string, string> Steps { get; init; } = new Dictionary<string, string>();

    /// <summary>Maps a catalog record.</summary>
    public static DocumentView From(DocumentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Title, record.FileName, record.ContentType, record.Size, record.Status.ToString().ToLowerInvariant(), record.Error, record.Characters, record.Pages, record.CreatedAt, record.UpdatedAt)
        {
            Tags = DocumentTags.Parse(record.Tags),
            Chunks = record.Chunks,
            Steps = DocumentSteps.Parse(record.Steps),
        };
    }
}

/// <summary>One change to a document from the audit log: when, by whom, what, and the values (JSON, as the audit log holds them).</summary>
public sealed record DocumentChangeView(DateTimeOffset OccurredAt, string User, string Operation, JsonElement Changes)
{
    /// <summary>Maps an audit row.</summary>
    public static DocumentChangeView From(AuditLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var changes = JsonDocument.Parse(entry.Changes);
        return new(entry.OccurredAt, entry.UserName, entry.Operation.ToString().ToLowerInvariant(), changes.RootElement.Clone());
    }
}

/// <summary>One stored version of a document's file, as GET /documents/{id}/versions lists them (newest first).</summary>
public sealed record DocumentVersionView(string VersionId, long Size, string Sha256, string ContentType, DateTimeOffset CreatedAt, bool IsLatest);
