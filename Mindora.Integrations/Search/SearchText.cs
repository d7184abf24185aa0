using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Search;

/// <summary>A word of a text: where it starts, how long it is, and whether it is a run of CJK characters.</summary>
internal readonly record struct TextWord(int Start, int Length, bool IsCjk)
{
    public int End => Start + Length;
}

/// <summary>
/// How text splits into words, shared by indexing, queries and highlighting so they agree with
/// FTS5's unicode61 tokenizer: letters, digits and private-use characters form words (combining
/// marks join them), everything else separates. With <c>splitCjk</c>, a run of Han, Kana or Hangul
/// is a word of its own even when glued to Latin letters ("Mindora向量" is two words).
/// </summary>
internal static class SearchText
{
    /// <summary>The words of <paramref name="text"/>, in order.</summary>
    public static List<TextWord> Words(string text, bool splitCjk)
    {
        var words = new List<TextWord>();
        var start = -1;
        var cjk = false;
        var hasLetterOrDigit = false;

        void Flush(int end)
        {
            // A run of combining marks alone is no word: the tokenizer would make it an empty phrase.
            if (start >= 0 && hasLetterOrDigit)
            {
                words.Add(new TextWord(start, end - start, cjk));
            }

            start = -1;
            hasLetterOrDigit = false;
        }

        // Runes, not chars: a word may hold characters outside the BMP; unpaired surrogates separate.
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                Flush(index);
                index += consumed;
                continue;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                    or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                    or UnicodeCategory.PrivateUse:
                    var isCjk = splitCjk && IsCjk(rune);
                    if (start >= 0 && isCjk != cjk)
                    {
                        Flush(index);
                    }

                    if (start < 0)
                    {
                        start = index;
                        cjk = isCjk;
                    }

                    hasLetterOrDigit = true;
                    break;
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                    if (start < 0)
                    {
                        start = index;
                        cjk = false;
                    }

                    break;
                default:
                    Flush(index);
                    break;
            }

            index += consumed;
        }

        Flush(text.Length);
        return words;
    }

    /// <summary>Han (all blocks), Hiragana, Katakana (with the half-width forms) and Hangul.</summary>
    public static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x3040 and <= 0x30FF => true, // Hiragana, Katakana
        >= 0x31F0 and <= 0x31FF => true, // Katakana phonetic extensions
        >= 0x3400 and <= 0x4DBF => true, // Han extension A
        >= 0x4E00 and <= 0x9FFF => true, // Han
        >= 0xF900 and <= 0xFAFF => true, // Han compatibility
        >= 0xFF66 and <= 0xFF9F => true, // half-width Katakana
        >= 0x1100 and <= 0x11FF => true, // Hangul Jamo
        >= 0x3130 and <= 0x318F => true, // Hangul compatibility Jamo
        >= 0xAC00 and <= 0xD7AF => true, // Hangul syllables
        >= 0x20000 and <= 0x3FFFF => true, // Han extensions B and later
        _ => false,
    };

    /// <summary>The form words are compared in: lower case, diacritics removed (as unicode61 remove_diacritics 2).</summary>
    public static string Fold(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
            {
                folded.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The text as the bigram index stores it: other words unchanged, each CJK run replaced by its
    /// overlapping pairs of characters followed by its last character alone (so a one-character
    /// query, run as a prefix, also finds the character at the end of a run). 向量数据库 becomes
    /// "向量 量数 数据 据库 库"; a phrase of pairs then finds any CJK substring of two or more characters.
    /// </summary>
    public static string ToBigrams(string text)
    {
        var indexed = new StringBuilder(text.Length * 3);
        foreach (var word in Words(text, splitCjk: true))
        {
            var span = text.AsSpan(word.Start, word.Length);
            if (!word.IsCjk)
            {
                indexed.Append(span).Append(' ');
                continue;
            }

            var runes = text.Substring(word.Start, word.Length).EnumerateRunes().Select(r => r.ToString()).ToList();
            for (var i = 0; i + 1 < runes.Count; i++)
            {
                indexed.Append(runes[i]).Append(runes[i + 1]).Append(' ');
            }

            indexed.Append(runes[^1]).Append(' ');
        }

        return indexed.ToString();
    }

    /// <summary>The pairs of a CJK word as an FTS5 phrase body ("向量 量数 数据"), or the word itself when it has one character.</summary>
    public static string BigramPhrase(string cjkWord)
    {
        var runes = cjkWord.EnumerateRunes().Select(r => r.ToString()).ToList();
        return runes.Count == 1 ? runes[0] : string.Join(' ', Enumerable.Range(0, runes.Count - 1).Select(i => runes[i] + runes[i + 1]));
    }
}
