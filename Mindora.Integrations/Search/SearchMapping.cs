using System.Text.RegularExpressions;

namespace Mindora.Integrations.Search;

/// <summary>The type of a mapped field.</summary>
public enum SearchFieldType
{
    /// <summary>Analyzed text (CJK by character pairs): found by match, phrase and prefix queries, highlighted.</summary>
    Text,

    /// <summary>An exact string: term, prefix and range queries, sorting, terms aggregations.</summary>
    Keyword,

    /// <summary>A point in time (ISO 8601; stored in UTC): range queries, sorting, date histograms.</summary>
    Date,

    /// <summary>A number (double): term and range queries, sorting, stats.</summary>
    Number,
}

/// <summary>The fields of a mapped index. Documents may hold only these fields (unknown ones are rejected).</summary>
/// <param name="Fields">Field name → type; names are 1 to 64 characters: letters, digits and '_', starting with a letter.</param>
public sealed partial record SearchMapping(IReadOnlyDictionary<string, SearchFieldType> Fields)
{
    /// <summary>The most fields an index may map.</summary>
    public const int MaxFields = 100;

    /// <summary>The field name rule, as people read it.</summary>
    public const string FieldNameRule = "1 to 64 characters: letters, digits and '_', starting with a letter (not 'mindora_id')";

    /// <summary>The hidden keyword field that holds the document id on servers (a tie-breaker for paging).</summary>
    internal const string IdField = "mindora_id";

    /// <summary>Checks the mapping; returns its fields in a stable order.</summary>
    internal IReadOnlyList<KeyValuePair<string, SearchFieldType>> Validate()
    {
        if (Fields is null || Fields.Count is 0 or > MaxFields)
        {
            throw new MindoraValidationException("mapping", $"A mapping needs 1 to {MaxFields} fields.");
        }

        foreach (var (name, type) in Fields)
        {
            ValidateFieldName(name, "mapping");
            if (!Enum.IsDefined(type))
            {
                throw new MindoraValidationException("mapping", $"Field '{name}' has an unknown type; allowed: Text, Keyword, Date, Number.");
            }
        }

        return [.. Fields.OrderBy(f => f.Key, StringComparer.Ordinal)];
    }

    /// <summary>Validates a field name; returns it.</summary>
    internal static string ValidateFieldName(string? name, string parameterName) =>
        name is not null && FieldNameRegex().IsMatch(name) && name != IdField
            ? name
            : throw new MindoraValidationException(parameterName, $"Field name '{Printable(name)}' is not allowed: {FieldNameRule}.");

    internal static string Printable(string? value) =>
        value is null ? "(null)" : value.Length > 80 ? string.Concat(value.AsSpan(0, 80), "…") : string.Concat(value.Select(c => char.IsControl(c) ? '?' : c));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNameRegex();
}
