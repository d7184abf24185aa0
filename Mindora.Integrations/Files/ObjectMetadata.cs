using System.Collections.ObjectModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mindora.Integrations.Files;

/// <summary>Validation and storage of user metadata, with S3's rules so providers behave alike.</summary>
internal static partial class ObjectMetadata
{
    /// <summary>The most metadata (keys plus values, UTF-8) one object may carry, as in S3.</summary>
    public const int MaxTotalBytes = 2048;

    private const string KeyRule = "1 to 128 characters: letters, digits, '-', '_' and '.', starting with a letter or digit";

    /// <summary>No metadata.</summary>
    public static IReadOnlyDictionary<string, string> Empty { get; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Validates metadata and returns a copy with lowercase keys.</summary>
    public static IReadOnlyDictionary<string, string> Normalize(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return Empty;
        }

        var result = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        var total = 0;
        foreach (var (key, value) in metadata)
        {
            if (key is null || !KeyRegex().IsMatch(key))
            {
                throw new MindoraValidationException("options.Metadata", $"Invalid metadata key '{Shorten(key)}': allowed is {KeyRule}.");
            }

            if (value is null || MindoraArguments.ContainsControl(value))
            {
                throw new MindoraValidationException("options.Metadata", $"Invalid value of metadata key '{key}': a value is required and must not contain control characters.");
            }

            // Keys are case-insensitive in S3, which returns them lowercase; do the same everywhere.
            var normalized = AsciiLower(key);
            if (!result.TryAdd(normalized, value))
            {
                throw new MindoraValidationException("options.Metadata", $"Metadata key '{key}' is given twice (keys are case-insensitive).");
            }

            total += Encoding.UTF8.GetByteCount(normalized) + Encoding.UTF8.GetByteCount(value);
        }

        if (total > MaxTotalBytes)
        {
            throw new MindoraValidationException("options.Metadata", $"Metadata is {total} bytes; allowed is at most {MaxTotalBytes} bytes of keys and values.");
        }

        return new ReadOnlyDictionary<string, string>(result);
    }

    /// <summary>Serializes metadata for the catalog.</summary>
    public static string ToJson(IReadOnlyDictionary<string, string> metadata) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(metadata.ToDictionary(), StringComparer.Ordinal));

    /// <summary>Reads metadata from the catalog.</summary>
    public static IReadOnlyDictionary<string, string> FromJson(string json)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        return values is null || values.Count == 0 ? Empty : new ReadOnlyDictionary<string, string>(values);
    }

    private static string AsciiLower(string key) =>
        string.Create(key.Length, key, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] | 0x20) : source[i];
            }
        });

    private static string Shorten(string? value) =>
        value is null ? "(null)" : new string(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRegex();
}
