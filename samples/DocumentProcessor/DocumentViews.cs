using System.Text.Json;
using Mindora.Integrations.Data;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Search;

namespace DocumentProcessor;

/// <summary>A document as the API returns it, with what processing found (characters and pages, once extracted).</summary>
public sealed record DocumentView(string Id, string Title, string FileName, string ContentType, long Size, string Status, string? Error, int? Characters, int? Pages, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Maps a catalog record.</summary>
    public static DocumentView From(DocumentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Title, record.FileName, record.ContentType, record.Size, record.Status.ToString().ToLowerInvariant(), record.Error, record.Characters, record.Pages, record.CreatedAt, record.UpdatedAt);
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

/// <summary>A search hit: the document, its title and the matched text with the query's words in &lt;mark&gt;.</summary>
public sealed record SearchHitView(string DocumentId, string Title, string Text, double Score)
{
    /// <summary>Maps a search hit (its highlights are already HTML-safe).</summary>
    public static SearchHitView From(SearchHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return new(hit.Id, hit.HighlightedTitle, hit.Snippet, hit.Score);
    }
}

/// <summary>The answer to GET /search.</summary>
public sealed record SearchResponse(string Query, long Total, IReadOnlyList<SearchHitView> Hits);

/// <summary>One stored version of a document's file, as GET /documents/{id}/versions lists them (newest first).</summary>
public sealed record DocumentVersionView(string VersionId, long Size, string Sha256, string ContentType, DateTimeOffset CreatedAt, bool IsLatest);
