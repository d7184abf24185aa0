namespace Mindora.Integrations.Search;

/// <summary>
/// Full-text search for one app: indexes of documents, ranked by relevance (BM25, title weighted
/// above content) with HTML-safe highlights. Indexes are scoped to the app. Create an index with
/// <see cref="EnsureIndexAsync"/>; other operations on an unknown index throw <see cref="MindoraNotFoundException"/>.
/// </summary>
public interface IMindoraSearch
{
    /// <summary>Creates the index if it does not exist yet (cheap and idempotent; call it at start-up).</summary>
    /// <exception cref="MindoraInvalidNameException">The index name is not allowed.</exception>
    Task EnsureIndexAsync(string index, CancellationToken cancellationToken = default);

    /// <summary>Adds the document, or replaces the one with the same id.</summary>
    /// <exception cref="MindoraValidationException">The id or a field is not allowed.</exception>
    /// <exception cref="MindoraPayloadTooLargeException">The document is larger than the limit.</exception>
    Task IndexAsync(string index, SearchDocument document, CancellationToken cancellationToken = default);

    /// <summary>Removes the document; true when it existed.</summary>
    Task<bool> DeleteAsync(string index, string id, CancellationToken cancellationToken = default);

    /// <summary>Runs a query. A text without any word returns no hits.</summary>
    /// <exception cref="MindoraValidationException">Size, From or the text length is out of range.</exception>
    Task<SearchResults> SearchAsync(string index, SearchQuery query, CancellationToken cancellationToken = default);
}
