namespace Mindora.Integrations.Ingestion;

/// <summary>The payload of the ingestion tasks: which document (and, for the steps after extraction, which version).</summary>
/// <param name="DocumentId">The document id.</param>
/// <param name="Sha256">
/// The content hash of the version extraction read, set on the follow-up steps: a step whose
/// document has a newer version since does nothing (that version's own steps follow). Null: any version.
/// </param>
public sealed record DocumentTaskPayload(string DocumentId, string? Sha256 = null);

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
