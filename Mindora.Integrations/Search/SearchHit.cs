namespace Mindora.Integrations.Search;

/// <summary>One matching document.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Title">The title as indexed (raw text, not HTML).</param>
/// <param name="Score">The relevance; higher is better. Comparable only within one result set.</param>
/// <param name="HighlightedTitle">The title as safe HTML: text encoded, matched words wrapped in <c>&lt;mark&gt;</c>.</param>
/// <param name="Snippet">About 32 words of content around the matches as safe HTML, "…" where text was cut.</param>
/// <param name="Fields">The fields stored with the document.</param>
public sealed record SearchHit(
    string Id,
    string Title,
    double Score,
    string HighlightedTitle,
    string Snippet,
    IReadOnlyDictionary<string, string> Fields);
