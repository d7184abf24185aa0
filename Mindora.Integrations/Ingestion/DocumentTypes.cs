namespace Mindora.Integrations.Ingestion;

/// <summary>
/// Decides which extractor reads an upload, from its file name and declared content type. A
/// declared type must agree with the extension; a generic one (octet-stream) defers to it.
/// </summary>
public sealed class DocumentTypes
{
    private static readonly string[] GenericTypes = ["application/octet-stream", "binary/octet-stream", ""];

    // Older names of a type, stored under the registered name.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["text/x-markdown"] = "text/markdown",
    };

    private readonly IReadOnlyList<IDocumentTextExtractor> _extractors;

    /// <summary>Creates the registry over the registered extractors.</summary>
    public DocumentTypes(IEnumerable<IDocumentTextExtractor> extractors) => _extractors = extractors.ToList();

    /// <summary>Every accepted extension and content type, for error messages.</summary>
    public IEnumerable<string> Allowed => _extractors.SelectMany(e => e.Extensions.Keys).Concat(_extractors.SelectMany(e => e.ContentTypes)).Distinct();

    /// <summary>The extractor and canonical content type for an upload; throws when the type is not supported.</summary>
    public (IDocumentTextExtractor Extractor, string ContentType) Resolve(string fileName, string? declaredContentType)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var declared = (declaredContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        var byExtension = _extractors.FirstOrDefault(e => e.Extensions.ContainsKey(extension));
        var byType = _extractors.FirstOrDefault(e => e.ContentTypes.Contains(declared));

        var extractor = (byExtension, byType) switch
        {
            ({ } e, { } t) when ReferenceEquals(e, t) => e,
            ({ } e, null) when GenericTypes.Contains(declared) || declared.StartsWith("text/", StringComparison.Ordinal) => e,
            (null, { } t) when extension.Length == 0 => t,
            _ => null,
        };

        if (extractor is null)
        {
            var shown = string.IsNullOrEmpty(declared) ? extension : $"{declared} ({(extension.Length == 0 ? "no extension" : extension)})";
            throw new MindoraUnsupportedContentException(string.IsNullOrEmpty(shown) ? "unknown" : shown, Allowed);
        }

        // The specific type wins: a declared text/markdown, else what the extension says.
        var contentType = extractor.ContentTypes.Contains(declared) && declared != extractor.ContentTypes[0]
            ? declared
            : extractor.Extensions.GetValueOrDefault(extension, extractor.ContentTypes[0]);
        return (extractor, Aliases.GetValueOrDefault(contentType, contentType));
    }

    /// <summary>The extractor for a stored content type.</summary>
    public IDocumentTextExtractor ForContentType(string contentType) =>
        _extractors.FirstOrDefault(e => e.ContentTypes.Contains(contentType.Split(';')[0].Trim().ToLowerInvariant()))
        ?? throw new MindoraUnsupportedContentException(contentType, Allowed);
}
