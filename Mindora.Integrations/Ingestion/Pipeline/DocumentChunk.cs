using System.Globalization;

namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>
/// A piece of a document's text, the unit that is searched, embedded and cited. Its
/// <see cref="Id"/> (<c>{documentId}-{index}</c>) is stable, so processing the document again
/// replaces its chunks instead of adding more.
/// </summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Index">Its position in the document, from 0.</param>
/// <param name="Text">The text (with the overlap from the chunk before it in the same section and page).</param>
/// <param name="Section">The headings it is under, outermost first, joined by " › "; null when none.</param>
/// <param name="Page">The page it is on (from 1) for documents with pages (PDF); null otherwise.</param>
/// <param name="Tokens">Its size by <see cref="TokenEstimate"/>.</param>
public sealed record DocumentChunk(string DocumentId, int Index, string Text, string? Section, int? Page, int Tokens)
{
    /// <summary>The chunk's id in the search index and the vector collection.</summary>
    public string Id => IdOf(DocumentId, Index);

    /// <summary>What is embedded: the section's headings as context, then the text.</summary>
    public string EmbeddingText => Section is null || Text.StartsWith(Section, StringComparison.Ordinal) ? Text : $"{Section}\n{Text}";

    /// <summary>The id of chunk <paramref name="index"/> of <paramref name="documentId"/>.</summary>
    public static string IdOf(string documentId, int index) => string.Create(CultureInfo.InvariantCulture, $"{documentId}-{index}");
}
