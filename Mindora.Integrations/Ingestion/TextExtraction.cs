namespace Mindora.Integrations.Ingestion;

/// <summary>Text taken out of a document, with the title it suggests.</summary>
/// <param name="Title">The first heading or line, or null when there is none.</param>
/// <param name="Text">The document's text, ready to index.</param>
public sealed record ExtractedText(string? Title, string Text)
{
    /// <summary>How many pages the document has, for types that have pages (PDF); null otherwise.</summary>
    public int? Pages { get; init; }

    /// <summary>
    /// The headings, in document order, for types that mark them (Markdown headings, Word heading
    /// styles): each is also a line of <see cref="Text"/>. Partitioning keeps them as each chunk's section.
    /// </summary>
    public IReadOnlyList<DocumentHeading> Headings { get; init; } = [];
}

/// <summary>A heading of a document.</summary>
/// <param name="Level">1 for the top level (a Markdown '#', Word's Title or Heading 1), deeper levels count up.</param>
/// <param name="Text">The heading's line, as it appears in the extracted text.</param>
public sealed record DocumentHeading(int Level, string Text);

/// <summary>Turns the bytes of one family of document types into text.</summary>
public interface IDocumentTextExtractor
{
    /// <summary>The content types this extractor reads, canonical form first.</summary>
    IReadOnlyList<string> ContentTypes { get; }

    /// <summary>The file extensions (with the dot, lowercase) this extractor reads, each with its content type.</summary>
    IReadOnlyDictionary<string, string> Extensions { get; }

    /// <summary>Checks the bytes really are this type; throws <see cref="MindoraUnsupportedContentException"/> otherwise.</summary>
    Task ValidateAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Extracts the text.</summary>
    Task<ExtractedText> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken);

    /// <summary>
    /// Extracts the text of a document stored as <paramref name="contentType"/> (what
    /// <see cref="DocumentTypes.Resolve"/> chose), which may say more than the file name: a .txt
    /// declared as text/markdown is read as Markdown. By default the content type is not used.
    /// </summary>
    Task<ExtractedText> ExtractAsync(Stream content, string fileName, string contentType, CancellationToken cancellationToken) =>
        ExtractAsync(content, fileName, cancellationToken);
}
