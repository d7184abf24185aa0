using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>One page of hits of a <see cref="SearchRequest"/>, and its aggregations.</summary>
/// <param name="Total">How many documents match in all.</param>
/// <param name="Hits">The page, in the requested order.</param>
/// <param name="Aggregations">The aggregation results by name.</param>
public sealed record DocumentSearchResults(long Total, IReadOnlyList<DocumentHit> Hits, IReadOnlyDictionary<string, AggregationResult> Aggregations)
{
    /// <summary>No hits, no aggregations (a pattern that names no index yet).</summary>
    public static DocumentSearchResults Empty { get; } = new(0, [], new Dictionary<string, AggregationResult>());
}

/// <summary>A matching document.</summary>
/// <param name="Index">The index it is in (without the app prefix).</param>
/// <param name="Id">Its id.</param>
/// <param name="Score">Its relevance (0 when nothing scored); comparable only within one result set.</param>
/// <param name="Source">The document as stored (dates in UTC).</param>
/// <param name="Highlights">Requested text fields that matched → safe HTML with <c>&lt;mark&gt;</c> around matches.</param>
/// <param name="Cursor">Pass as <see cref="SearchRequest.After"/> to get the next page.</param>
public sealed record DocumentHit(string Index, string Id, double Score, JsonObject Source, IReadOnlyDictionary<string, string> Highlights, string Cursor);

/// <summary>The result of one aggregation: buckets (terms, date histogram) or statistics.</summary>
/// <param name="Buckets">Key → count, in the aggregation's order (dates as <c>yyyy-MM-ddTHH:mm:ssZ</c>).</param>
/// <param name="Stats">The statistics of a stats aggregation.</param>
public sealed record AggregationResult(IReadOnlyList<AggregationBucket> Buckets, FieldStats? Stats = null);

/// <summary>A bucket of a terms or date histogram aggregation.</summary>
/// <param name="Key">The value or the start of the interval.</param>
/// <param name="Count">How many documents.</param>
public sealed record AggregationBucket(string Key, long Count);

/// <summary>Statistics of a number field over the matching documents that have it (null values when none do).</summary>
public sealed record FieldStats(long Count, double? Min, double? Max, double? Average, double Sum);

/// <summary>One operation of a bulk request: index (replace) a document, or delete it when <see cref="Document"/> is null.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Document">The document, or null to delete.</param>
public sealed record BulkOperation(string Id, JsonObject? Document);

/// <summary>The outcome of one bulk operation.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Error">Why it failed, or null when it succeeded.</param>
public sealed record BulkItemResult(string Id, string? Error)
{
    /// <summary>True when the operation was applied.</summary>
    public bool Succeeded => Error is null;
}
