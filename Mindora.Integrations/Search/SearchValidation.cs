using System.Text;

namespace Mindora.Integrations.Search;

/// <summary>Checks of documents and queries of the title/content API, the same for every provider.</summary>
internal static class SearchValidation
{
    public const int MaxFrom = 10_000;

    public static string DocumentId(string? id, string parameterName) =>
        MindoraArguments.RequireIdentifier(id, parameterName, "document id", 200);

    /// <summary>Checks the document; returns its id and its fields as JSON (null when none).</summary>
    public static (string Id, string? FieldsJson) Document(SearchDocument document, MindoraSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = DocumentId(document.Id, "document.Id");
        if (document.Title is null || document.Content is null)
        {
            throw new MindoraValidationException("document", "A document needs a Title and a Content (either may be empty).");
        }

        var fieldsJson = SearchFields.Validate(document.Fields);
        var size = Encoding.UTF8.GetByteCount(id) + Encoding.UTF8.GetByteCount(document.Title)
            + Encoding.UTF8.GetByteCount(document.Content) + (fieldsJson is null ? 0 : Encoding.UTF8.GetByteCount(fieldsJson));
        return size > options.MaxDocumentBytes ? throw new MindoraPayloadTooLargeException("The document", options.MaxDocumentBytes) : (id, fieldsJson);
    }

    public static void Query(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Text is null || query.Text.Length > FtsQuery.MaxTextLength)
        {
            throw new MindoraValidationException("query.Text", $"The query text is required and may have at most {FtsQuery.MaxTextLength} characters.");
        }

        if (query.Size is < 1 or > 100)
        {
            throw new MindoraValidationException("query.Size", "Size must be between 1 and 100.");
        }

        if (query.From is < 0 or > MaxFrom)
        {
            throw new MindoraValidationException("query.From", $"From must be between 0 and {MaxFrom}.");
        }
    }
}
