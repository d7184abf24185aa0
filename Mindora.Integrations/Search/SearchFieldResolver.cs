using System.Globalization;

namespace Mindora.Integrations.Search;

/// <summary>Field types of the queried indexes, and query values in each type's stored form — the same checks for every provider.</summary>
internal sealed class SearchFieldResolver(IReadOnlyDictionary<string, SearchFieldType> fields)
{
    public IReadOnlyDictionary<string, SearchFieldType> Fields { get; } = fields;

    /// <summary>The union of the mappings of several indexes; a field with two types is an error.</summary>
    public static SearchFieldResolver Union(IEnumerable<IReadOnlyDictionary<string, SearchFieldType>> mappings)
    {
        var fields = new Dictionary<string, SearchFieldType>(StringComparer.Ordinal);
        foreach (var (name, type) in mappings.SelectMany(m => m))
        {
            if (fields.TryGetValue(name, out var known) && known != type)
            {
                throw new MindoraValidationException("index", $"Field '{name}' has different types in the indexes of the pattern ({known}, {type}).");
            }

            fields[name] = type;
        }

        return new SearchFieldResolver(fields);
    }

    /// <summary>The type of a field, or a validation error naming the mapped fields.</summary>
    public SearchFieldType TypeOf(string field, string parameterName)
    {
        SearchMapping.ValidateFieldName(field, parameterName);
        return Fields.TryGetValue(field, out var type)
            ? type
            : throw new MindoraValidationException(parameterName, $"Field '{field}' is not mapped (mapped: {string.Join(", ", Fields.Keys.Order(StringComparer.Ordinal))}).");
    }

    /// <summary>A sortable field (keyword, date, number) or <c>_score</c> (always best first).</summary>
    public SearchSort ValidateSort(SearchSort sort)
    {
        ArgumentNullException.ThrowIfNull(sort);
        if (sort.Field == SearchSort.Score)
        {
            return sort with { Descending = true };
        }

        return TypeOf(sort.Field, "request.Sort") == SearchFieldType.Text
            ? throw new MindoraValidationException("request.Sort", $"Field '{sort.Field}' is text; sort by a keyword, date or number field or by _score.")
            : sort;
    }

    /// <summary>The sort keys of a request; best score first when it names none.</summary>
    public IReadOnlyList<SearchSort> Sort(SearchRequest request) =>
        request.Sort.Count == 0 ? [new SearchSort(SearchSort.Score, true)] : [.. request.Sort.Select(ValidateSort)];

    /// <summary>A term or range value in the stored form of the field's type.</summary>
    public object Value(string field, object? value)
    {
        var type = TypeOf(field, "query");
        return (type, value) switch
        {
            (SearchFieldType.Keyword, string s) => s,
            (SearchFieldType.Number, double or float or int or long or short or decimal) when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)) => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            (SearchFieldType.Date, DateTimeOffset d) => SearchDocuments.FormatDate(d),
            (SearchFieldType.Date, DateTime d) => SearchDocuments.FormatDate(new DateTimeOffset(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind))),
            (SearchFieldType.Date, string s) when SearchDocuments.TryParseDate(s, out var d) => SearchDocuments.FormatDate(d),
            _ => throw new MindoraValidationException("query", $"Field '{field}' is {type}; the value {SearchMapping.Printable(value?.ToString())} does not fit it."),
        };
    }

    /// <summary>The checks of a text-like clause (match, phrase, prefix, term on text): its text and the field's type.</summary>
    public SearchFieldType TextClause(string field, string? text, string kind)
    {
        var type = TypeOf(field, "query");
        if (text is null || text.Length > FtsQuery.MaxTextLength)
        {
            throw new MindoraValidationException("query", $"A {kind} query needs a text of at most {FtsQuery.MaxTextLength} characters.");
        }

        return type is SearchFieldType.Text or SearchFieldType.Keyword
            ? type
            : throw new MindoraValidationException("query", $"Field '{field}' is {type}; a {kind} query needs a text or keyword field.");
    }

    /// <summary>The highlighted text fields of a request.</summary>
    public IReadOnlyList<(string Field, List<QueryTerm> Terms)> Highlights(SearchRequest request) =>
        [.. request.Highlight.Select(f => TypeOf(f, "request.Highlight") == SearchFieldType.Text
            ? (f, SearchRequests.HighlightTerms(request.Query, f))
            : throw new MindoraValidationException("request.Highlight", $"Field '{f}' is not text; only text fields are highlighted."))];
}
