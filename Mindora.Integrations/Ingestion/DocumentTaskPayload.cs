namespace Mindora.Integrations.Ingestion;

/// <summary>The payload of the ingestion tasks: which document.</summary>
/// <param name="DocumentId">The document id.</param>
public sealed record DocumentTaskPayload(string DocumentId);

/// <summary>The names of the built-in ingestion tasks.</summary>
public static class IngestionTaskNames
{
    /// <summary>Reads a stored document and stores its text, then enqueues <see cref="IndexDocument"/>.</summary>
    public const string ExtractText = "extract-text";

    /// <summary>Indexes a document's extracted text for full-text search.</summary>
    public const string IndexDocument = "index-document";
}
