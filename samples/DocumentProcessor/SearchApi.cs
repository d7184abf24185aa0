using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;

namespace DocumentProcessor;

/// <summary>
/// GET /search?q=…&amp;mode=keyword|semantic|hybrid&amp;documentId=…&amp;tag=…&amp;size=…: chunks of the
/// documents, best first, with document id, title, page, section and highlights. Keyword is
/// full-text search, semantic the nearest embeddings, hybrid both fused by reciprocal rank (k = 60).
/// </summary>
public static class SearchApi
{
    private static readonly string[] Modes = ["keyword", "semantic", "hybrid"];

    /// <summary>Maps the endpoint.</summary>
    public static WebApplication MapSearchApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/search", SearchAsync);
        return app;
    }

    /// <summary>The cache key of a search: every parameter that changes its answer is part of it.</summary>
    public static string CacheKey(string query, string mode, string? documentId, string? tag, int size) =>
        DocumentSearchCache.Key($"{mode}\u0000{documentId}\u0000{tag}\u0000{query}", size);

    private static async Task<IResult> SearchAsync(string? q, string? mode, string? documentId, string? tag, int? size, DocumentChunkIndex index, SearchResultsCache cache, IOptions<DocumentApiOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return DocumentApi.Problem(StatusCodes.Status400BadRequest, "No query", "Pass the words to find as ?q=…");
        }

        var modeName = (mode ?? "keyword").Trim().ToLowerInvariant();
        if (!Modes.Contains(modeName))
        {
            return DocumentApi.Problem(StatusCodes.Status400BadRequest, "Unknown search mode", $"Search mode '{Printable(mode!)}' is not supported; allowed: {string.Join(", ", Modes)}.");
        }

        if (documentId is not null && !DocumentCatalog.IsValidId(documentId))
        {
            return DocumentApi.Problem(StatusCodes.Status400BadRequest, "Invalid document id", $"'{Printable(documentId)}' is not a document id: 32 lowercase hex characters are expected.");
        }

        var filter = new ChunkFilter(documentId, string.IsNullOrWhiteSpace(tag) ? null : DocumentTags.Check(tag));
        var hits = Math.Clamp(size ?? 10, 1, options.Value.MaxSearchResults);
        var chunkMode = Enum.Parse<ChunkSearchMode>(modeName, ignoreCase: true);
        var response = await cache.GetOrSearchAsync(CacheKey(q, modeName, filter.DocumentId, filter.Tag, hits), async ct =>
        {
            var found = await index.SearchAsync(q, chunkMode, filter, hits, cancellationToken: ct);
            return new SearchResponse(q, modeName, found.Count, found.Select(ChunkHitView.From).ToList());
        }, cancellationToken);
        return Results.Ok(response);
    }

    internal static string Printable(string value) =>
        string.Concat((value.Length > 40 ? value[..40] + "…" : value).Select(c => char.IsControl(c) ? '?' : c));
}

/// <summary>A chunk that matched: its document, its place (chunk index, page, section), the title and text as safe HTML with matches in &lt;mark&gt;.</summary>
public sealed record ChunkHitView(string DocumentId, int Chunk, string Title, int? Page, string? Section, string Text, double Score)
{
    /// <summary>Maps a chunk hit (its highlights are already HTML-safe).</summary>
    public static ChunkHitView From(ChunkHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return new(hit.DocumentId, hit.Chunk, hit.HighlightedTitle, hit.Page, hit.Section, hit.Highlight, hit.Score);
    }
}

/// <summary>The answer to GET /search.</summary>
public sealed record SearchResponse(string Query, string Mode, long Total, IReadOnlyList<ChunkHitView> Hits);
