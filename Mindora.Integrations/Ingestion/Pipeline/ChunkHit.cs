namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>How chunks are found.</summary>
public enum ChunkSearchMode
{
    /// <summary>Full-text search (BM25) over the chunks' text, section and title.</summary>
    Keyword,

    /// <summary>Nearest chunks to the query's embedding.</summary>
    Semantic,

    /// <summary>Both, merged by reciprocal rank fusion (k = 60).</summary>
    Hybrid,
}

/// <summary>Which chunks may be found.</summary>
/// <param name="DocumentId">Only this document's chunks, when set.</param>
/// <param name="Tag">Only chunks of documents with this tag, when set.</param>
public sealed record ChunkFilter(string? DocumentId = null, string? Tag = null);

/// <summary>A chunk that matched.</summary>
/// <param name="DocumentId">Its document.</param>
/// <param name="Chunk">Its index in the document.</param>
/// <param name="Title">The document's title (raw text).</param>
/// <param name="HighlightedTitle">The title as safe HTML, matched words in <c>&lt;mark&gt;</c>.</param>
/// <param name="Page">Its page, for documents with pages.</param>
/// <param name="Section">Its headings, when it is under any.</param>
/// <param name="Highlight">Its text around the matches as safe HTML, matched words in <c>&lt;mark&gt;</c>.</param>
/// <param name="Text">Its whole text (raw, not HTML).</param>
/// <param name="Score">Its relevance in this result (BM25, similarity or fused rank score); higher is better.</param>
public sealed record ChunkHit(string DocumentId, int Chunk, string Title, string HighlightedTitle, int? Page, string? Section, string Highlight, string Text, double Score);
