namespace Mindora.Integrations.Search;

/// <summary>A document to index. Indexing a document with an existing <see cref="Id"/> replaces it.</summary>
/// <param name="Id">The document id: 1 to 200 characters without control characters.</param>
/// <param name="Title">The title; matches in it rank higher than matches in the content.</param>
/// <param name="Content">The text to search.</param>
public sealed record SearchDocument(string Id, string Title, string Content)
{
    /// <summary>Extra values stored with the document and returned with its hits (not searched).</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }
}
