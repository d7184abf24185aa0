using System.Text.RegularExpressions;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// The tags of a document: up to <see cref="MaxTags"/>, each 1 to <see cref="MaxTagLength"/>
/// letters, digits, '-', '_' or '.', compared lowercase. Stored comma-separated on the document
/// and copied to every chunk, where search filters by them.
/// </summary>
public static partial class DocumentTags
{
    /// <summary>The most tags a document may have.</summary>
    public const int MaxTags = 10;

    /// <summary>The longest tag.</summary>
    public const int MaxTagLength = 40;

    /// <summary>The rule, as people read it.</summary>
    public const string Rule = "up to 10 tags, each 1 to 40 letters, digits, '-', '_' or '.'";

    /// <summary>
    /// Normalizes a comma-separated list (trimmed, lowercase, duplicates dropped, empty items
    /// ignored); returns null for no tags.
    /// </summary>
    /// <exception cref="MindoraValidationException">A tag breaks the rule, or there are too many.</exception>
    public static string? Normalize(string? tags)
    {
        var list = Parse(tags);
        return list.Count == 0 ? null : string.Join(',', list);
    }

    /// <summary>The tags of a stored or submitted list; see <see cref="Normalize"/>.</summary>
    /// <exception cref="MindoraValidationException">A tag breaks the rule, or there are too many.</exception>
    public static IReadOnlyList<string> Parse(string? tags)
    {
        if (string.IsNullOrWhiteSpace(tags))
        {
            return [];
        }

        var list = new List<string>();
        foreach (var item in tags.Split(','))
        {
            var tag = Check(item);
            if (tag.Length > 0 && !list.Contains(tag))
            {
                list.Add(tag);
            }
        }

        return list.Count <= MaxTags ? list : throw new MindoraValidationException("tags", $"{list.Count} tags were given: {Rule}.");
    }

    /// <summary>One tag, trimmed and lowercase; empty for a blank one.</summary>
    /// <exception cref="MindoraValidationException">The tag breaks the rule.</exception>
    public static string Check(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var trimmed = tag.Trim().ToLowerInvariant();
        return trimmed.Length == 0 || TagRegex().IsMatch(trimmed)
            ? trimmed
            : throw new MindoraValidationException("tags", $"Tag '{Printable(trimmed)}' is not allowed: {Rule}.");
    }

    private static string Printable(string value) =>
        string.Concat((value.Length > 40 ? value[..40] + "…" : value).Select(c => char.IsControl(c) ? '?' : c));

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();
}
