using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Search;

/// <summary>
/// Turns what a user typed into a safe FTS5 MATCH expression. The text is never passed raw:
/// it is split into words, and each word becomes an FTS5 string ("word", quotes doubled), joined
/// by spaces (implicit AND). So <c>"</c>, <c>*</c>, <c>AND(</c>, <c>NEAR</c>, <c>-x</c> or <c>col:</c> are just text.
/// </summary>
internal static class FtsQuery
{
    /// <summary>The longest query text.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>At most this many distinct words are used.</summary>
    public const int MaxTerms = 32;

    /// <summary>The MATCH expression, or null when the text has no words.</summary>
    public static string? Build(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var word = new StringBuilder();
        var hasLetterOrDigit = false;

        void Flush()
        {
            // A run of combining marks alone is no word: the tokenizer would make it an empty phrase.
            if (hasLetterOrDigit && terms.Count < MaxTerms && seen.Add(word.ToString()))
            {
                terms.Add(word.ToString());
            }

            word.Clear();
            hasLetterOrDigit = false;
        }

        // Runes, not chars: a word may hold characters outside the BMP; unpaired surrogates become separators.
        foreach (var rune in text.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                    or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                    or UnicodeCategory.PrivateUse:
                    word.Append(rune.ToString());
                    hasLetterOrDigit = true;
                    break;
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                    word.Append(rune.ToString());
                    break;
                default:
                    Flush();
                    break;
            }
        }

        Flush();
        return terms.Count == 0 ? null : string.Join(' ', terms.Select(Quote));
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
