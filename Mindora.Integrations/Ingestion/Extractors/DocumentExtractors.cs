namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>
/// Word (.docx) and Excel (.xlsx) documents. Their bytes are checked only when read by the
/// worker: a damaged file or one whose bytes are not what its name says ends the document
/// <c>failed</c> with the reason, rather than being refused at upload.
/// </summary>
public sealed class OfficeDocumentExtractor : IDocumentTextExtractor
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <inheritdoc />
    public IReadOnlyList<string> ContentTypes { get; } = [Docx, Xlsx];

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Extensions { get; } = new Dictionary<string, string> { [".docx"] = Docx, [".xlsx"] = Xlsx };

    /// <inheritdoc />
    public Task ValidateAsync(Stream content, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<ExtractedText> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken) =>
        ExtractAsync(content, fileName, Extensions.GetValueOrDefault(Path.GetExtension(fileName).ToLowerInvariant(), Docx), cancellationToken);

    /// <inheritdoc />
    public async Task<ExtractedText> ExtractAsync(Stream content, string fileName, string contentType, CancellationToken cancellationToken)
    {
        await using var seekable = await OoxmlText.SeekableAsync(content, cancellationToken).ConfigureAwait(false);
        return contentType == Xlsx ? XlsxTextReader.Read(seekable) : DocxTextReader.Read(seekable);
    }
}

/// <summary>
/// PDF documents, read by Mindora's own parser (PdfSharp on the feed is AGPL and licence-gated);
/// pages are separated by form feeds in the text. Encrypted or damaged PDFs end <c>failed</c> with the reason.
/// </summary>
public sealed class PdfExtractor : IDocumentTextExtractor
{
    private const string Pdf = "application/pdf";

    /// <inheritdoc />
    public IReadOnlyList<string> ContentTypes { get; } = [Pdf];

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Extensions { get; } = new Dictionary<string, string> { [".pdf"] = Pdf };

    /// <inheritdoc />
    public Task ValidateAsync(Stream content, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<ExtractedText> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken) =>
        Task.Run(() => PdfTextReader.Read(content), cancellationToken);
}
