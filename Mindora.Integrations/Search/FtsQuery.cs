namespace Mindora.Integrations.Search;

/// <summary>A word of a query; CJK words are matched as substrings in bigram indexes.</summary>
/// <param name="Text">The word as typed.</param>
/// <param name="IsCjk">A run of CJK characters.</param>
internal sealed record QueryTerm(string Text, bool IsCjk);

/// <summary>
/// Turns what a user typed into a safe FTS5 MATCH expression. The text is never passed raw:
/// it is split into words (<see cref="SearchText.Words"/>), and each word becomes an FTS5 string
/// ("word", quotes doubled), joined by spaces (implicit AND). So <c>"</c>, <c>*</c>, <c>AND(</c>,
/// <c>NEAR</c>, <c>-x</c> or <c>col:</c> are just text. In a bigram index a CJK word becomes the
/// phrase of its character pairs, or a prefix query when it is a single character.
/// </summary>
internal static class FtsQuery
{
    /// <summary>The longest query text.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>At most this many distinct words are used.</summary>
    public const int MaxTerms = 32;

    /// <summary>The MATCH expression for a word-tokenized (legacy) index, or null when the text has no words.</summary>
    public static string? Build(string text) => ToMatch(Terms(text, splitCjk: false), bigrams: false);

    /// <summary>The distinct words of <paramref name="text"/> (at most <see cref="MaxTerms"/>).</summary>
    public static List<QueryTerm> Terms(string text, bool splitCjk)
    {
        var terms = new List<QueryTerm>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in SearchText.Words(text, splitCjk))
        {
            var value = text.Substring(word.Start, word.Length);
            if (terms.Count < MaxTerms && seen.Add(value))
            {
                terms.Add(new QueryTerm(value, word.IsCjk));
            }
        }

        return terms;
    }

    /// <summary>The MATCH expression of all <paramref name="terms"/> (AND), or null when there are none.</summary>
    public static string? ToMatch(IReadOnlyList<QueryTerm> terms, bool bigrams) =>
        terms.Count == 0 ? null : string.Join(' ', terms.Select(t => Term(t, bigrams)));

    /// <summary>
    /// The words of <paramref name="text"/> as one FTS5 phrase for a bigram index, or null when it has
    /// no words. A CJK run contributes its pairs, and its last character when more words follow
    /// (the index stores it after the pairs); a single CJK character at the end becomes a prefix.
    /// </summary>
    public static string? Phrase(string text)
    {
        var words = SearchText.Words(text, splitCjk: true);
        if (words.Count == 0)
        {
            return null;
        }

        var tokens = new List<string>();
        var prefix = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = text.Substring(words[i].Start, words[i].Length);
            if (!words[i].IsCjk)
            {
                tokens.Add(word);
                continue;
            }

            var runes = word.EnumerateRunes().Select(r => r.ToString()).ToList();
            var last = i == words.Count - 1;
            if (runes.Count > 1)
            {
                tokens.Add(SearchText.BigramPhrase(word));
            }

            if (!last || runes.Count == 1)
            {
                tokens.Add(runes[^1]);
            }

            prefix = last && runes.Count == 1;
        }

        return Quote(string.Join(' ', tokens)) + (prefix ? "*" : string.Empty);
    }

    /// <summary>The words of <paramref name="text"/> for a bigram index, the last one as a prefix; null when it has no words.</summary>
    public static string? Prefix(string text)
    {
        var terms = Terms(text, splitCjk: true);
        if (terms.Count == 0)
        {
            return null;
        }

        var last = terms[^1];
        var lastMatch = last.IsCjk && last.Text.EnumerateRunes().Count() > 1 ? Quote(SearchText.BigramPhrase(last.Text)) + "*" : Quote(last.Text) + "*";
        return terms.Count == 1 ? lastMatch : ToMatch(terms[..^1], bigrams: true) + " " + lastMatch;
    }

    private static string Term(QueryTerm term, bool bigrams)
    {
        if (!bigrams || !term.IsCjk)
        {
            return Quote(term.Text);
        }

        // One character: every pair starting with it, or the character alone ending a run.
        return term.Text.EnumerateRunes().Count() == 1
            ? Quote(term.Text) + "*"
            : Quote(SearchText.BigramPhrase(term.Text));
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
