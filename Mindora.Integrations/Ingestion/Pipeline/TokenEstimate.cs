namespace Mindora.Integrations.Ingestion.Pipeline;

/// <summary>
/// A simple, honest estimate of how many model tokens a text is, without a model's vocabulary:
/// a run of letters and digits counts one token per 4 characters (rounded up; BPE tokenizers
/// average about 4 characters of English per token), every CJK ideograph, kana or hangul
/// syllable one token, every other visible character (punctuation, symbols) one token, and
/// whitespace nothing. It errs high for common English words and is close for Chinese; good
/// enough to size chunks, not to bill by.
/// </summary>
public static class TokenEstimate
{
    /// <summary>Characters of a letter/digit run per token.</summary>
    public const int CharactersPerToken = 4;

    /// <summary>The estimated tokens of <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var tokens = 0;
        foreach (var unit in Units(text))
        {
            tokens += unit.Tokens;
        }

        return tokens;
    }

    /// <summary>The estimated tokens of <paramref name="text"/>.</summary>
    public static int Count(string text) => Count(text.AsSpan());

    /// <summary>
    /// The counted units of a text in order: (start, length, tokens) of each letter/digit run,
    /// CJK character and other visible character; whitespace is not a unit.
    /// </summary>
    public static List<(int Start, int Length, int Tokens)> Units(ReadOnlySpan<char> text)
    {
        var units = new List<(int, int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (IsCjk(c) || char.IsSurrogate(c))
            {
                var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                units.Add((i, length, 1));
                i += length;
            }
            else if (char.IsLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(text[i]) && !IsCjk(text[i]))
                {
                    i++;
                }

                units.Add((start, i - start, (i - start + CharactersPerToken - 1) / CharactersPerToken));
            }
            else
            {
                units.Add((i, 1, 1));
                i++;
            }
        }

        return units;
    }

    // Scripts written without spaces, where a model spends about a token per character.
    private static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF')
            or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\u3000' and <= '\u303F') or (>= '\uFF00' and <= '\uFFEF');
}
