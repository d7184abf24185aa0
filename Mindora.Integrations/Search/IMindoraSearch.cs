using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>
/// Full-text search for one app: indexes of documents, ranked by relevance (BM25, title weighted
/// above content) with HTML-safe highlights. Indexes are scoped to the app. Create an index with
/// <see cref="EnsureIndexAsync"/>; other operations on an unknown index throw <see cref="MindoraNotFoundException"/>.
/// Mapped indexes (<see cref="CreateIndexAsync"/>) hold JSON documents with typed fields and answer
/// typed queries (<see cref="SearchQueries"/>) with sorting, cursor paging, highlights and aggregations;
/// monthly indexes (<see cref="SearchIndexNames.Monthly"/>) are queried together through a pattern.
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

    /// <summary>Creates a mapped index (a name, or a monthly name <c>name-yyyy.MM</c>); idempotent for the same mapping.</summary>
    /// <exception cref="MindoraConflictException">The index exists with another mapping.</exception>
    Task CreateIndexAsync(string index, SearchMapping mapping, CancellationToken cancellationToken = default);

    /// <summary>Adds a document to a mapped index, or replaces the one with the same id.</summary>
    /// <exception cref="MindoraValidationException">A field is not mapped or its value does not fit its type.</exception>
    Task IndexDocumentAsync(string index, string id, JsonObject document, CancellationToken cancellationToken = default);

    /// <summary>Sets the given fields of a document (others are kept); false when there is no such document.</summary>
    Task<bool> UpdateDocumentAsync(string index, string id, JsonObject changes, CancellationToken cancellationToken = default);

    /// <summary>Removes a document from a mapped index; true when it existed.</summary>
    Task<bool> DeleteDocumentAsync(string index, string id, CancellationToken cancellationToken = default);

    /// <summary>A document of a mapped index as stored, or null.</summary>
    Task<JsonObject?> GetDocumentAsync(string index, string id, CancellationToken cancellationToken = default);

    /// <summary>Indexes and deletes many documents (1 to 10,000); each item reports its own error, the others are applied.</summary>
    Task<IReadOnlyList<BulkItemResult>> BulkAsync(string index, IReadOnlyList<BulkOperation> operations, CancellationToken cancellationToken = default);

    /// <summary>Runs a typed query on a mapped index, or on every monthly index of a pattern (<c>name-*</c>).</summary>
    /// <exception cref="MindoraValidationException">A field is not mapped, a clause does not fit its type, or the cursor is not valid.</exception>
    Task<DocumentSearchResults> QueryAsync(string index, SearchRequest request, CancellationToken cancellationToken = default);
}
