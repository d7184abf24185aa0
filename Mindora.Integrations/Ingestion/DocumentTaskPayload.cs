namespace Mindora.Integrations.Ingestion;

/// <summary>The payload of the ingestion tasks: which document.</summary>
/// <param name="DocumentId">The document id.</param>
public sealed record DocumentTaskPayload(string DocumentId);

/// <summary>The names of the built-in ingestion tasks.</summary>
public static class IngestionTaskNames
{
    /// <summary>Reads a stored document, stores its text and its chunks, then enqueues <see cref="EmbedDocument"/>.</summary>
    public const string ExtractText = "extract-text";

    /// <summary>Embeds a document's chunks, then enqueues <see cref="IndexDocument"/>.</summary>
    public const string EmbedDocument = "embed-document";

    /// <summary>Saves a document's chunks to the search index and the vector collection.</summary>
    public const string IndexDocument = "index-document";
}
