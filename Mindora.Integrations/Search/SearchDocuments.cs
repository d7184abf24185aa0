using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>Checks documents of mapped indexes against their mapping, the same way for every provider.</summary>
internal static class SearchDocuments
{
    /// <summary>The stored form of dates: UTC, milliseconds, so that strings sort as times.</summary>
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// A copy of <paramref name="document"/> with dates in UTC; throws when a field is not mapped or
    /// its value does not fit its type (text and keyword: string; number: finite number; date: ISO 8601).
    /// </summary>
    public static JsonObject Normalize(JsonObject? document, IReadOnlyDictionary<string, SearchFieldType> mapping, string parameterName, int maxBytes)
    {
        if (document is null)
        {
            throw new MindoraValidationException(parameterName, "A document is required.");
        }

        var normalized = new JsonObject();
        foreach (var (name, value) in document)
        {
            if (!mapping.TryGetValue(name, out var type))
            {
                throw new MindoraValidationException(parameterName, $"Field '{SearchMapping.Printable(name)}' is not in the index's mapping (mapped: {string.Join(", ", mapping.Keys.Order(StringComparer.Ordinal))}).");
            }

            normalized[name] = value is null ? null : NormalizeValue(name, value, type, parameterName);
        }

        return System.Text.Encoding.UTF8.GetByteCount(normalized.ToJsonString()) > maxBytes
            ? throw new MindoraPayloadTooLargeException("The document", maxBytes)
            : normalized;
    }

    /// <summary>A date value in its stored form.</summary>
    public static string FormatDate(DateTimeOffset value) => value.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO 8601 date (a time without offset is UTC).</summary>
    public static bool TryParseDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private static JsonValue NormalizeValue(string name, JsonNode value, SearchFieldType type, string parameterName)
    {
        var kind = value.GetValueKind();
        switch (type)
        {
            case SearchFieldType.Text or SearchFieldType.Keyword when kind == JsonValueKind.String:
                var text = value.GetValue<string>();
                return type == SearchFieldType.Keyword && text.Length > 1000
                    ? throw new MindoraValidationException(parameterName, $"Keyword field '{name}' may hold at most 1000 characters.")
                    : JsonValue.Create(type == SearchFieldType.Text ? HighlightHtml.StripSentinels(text) : text);
            case SearchFieldType.Number when kind == JsonValueKind.Number && TryNumber(value, out var number):
                return JsonValue.Create(number);
            case SearchFieldType.Date when kind == JsonValueKind.String && TryParseDate(value.GetValue<string>(), out var date):
                return JsonValue.Create(FormatDate(date));
            default:
                throw new MindoraValidationException(parameterName, $"Field '{name}' is {type}: it needs {Expected(type)}, not {kind}.");
        }
    }

    // Via the JSON text: a node made from an int does not convert to double with GetValue.
    private static bool TryNumber(JsonNode value, out double number)
    {
        try
        {
            number = double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsFinite(number);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            number = 0;
            return false;
        }
    }

    private static string Expected(SearchFieldType type) => type switch
    {
        SearchFieldType.Number => "a finite number",
        SearchFieldType.Date => "an ISO 8601 date string",
        _ => "a string",
    };
}
