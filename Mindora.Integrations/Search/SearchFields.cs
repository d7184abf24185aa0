using System.Collections.ObjectModel;
using System.Text.Json;

namespace Mindora.Integrations.Search;

/// <summary>Validation and storage of a document's extra fields.</summary>
internal static class SearchFields
{
    /// <summary>No fields.</summary>
    public static IReadOnlyDictionary<string, string> Empty { get; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Checks keys (1 to 100 characters, no control characters) and values (not null); returns the JSON to store, or null.</summary>
    public static string? Validate(IReadOnlyDictionary<string, string>? fields)
    {
        if (fields is null || fields.Count == 0)
        {
            return null;
        }

        foreach (var (key, value) in fields)
        {
            MindoraArguments.RequireIdentifier(key, "document.Fields", "field name", 100);
            if (value is null)
            {
                throw new MindoraValidationException("document.Fields", $"Field '{key}' has no value; use an empty string.");
            }
        }

        return JsonSerializer.Serialize(fields.ToDictionary(StringComparer.Ordinal));
    }

    /// <summary>Reads stored fields.</summary>
    public static IReadOnlyDictionary<string, string> FromJson(string? json)
    {
        if (json is null)
        {
            return Empty;
        }

        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        return values is null || values.Count == 0 ? Empty : new ReadOnlyDictionary<string, string>(values);
    }
}
