using System.Text;

namespace Mindora.Integrations.Search;

/// <summary>
/// Highlights and snippets computed on the ORIGINAL text (not on what the index stores, which for
/// CJK is pairs of characters): a word matches when its folded form equals a query word's, a CJK
/// query word matches wherever it occurs inside a CJK run. The output goes through
/// <see cref="HighlightHtml.Encode"/>, so it is safe HTML.
/// </summary>
internal static class SearchHighlighter
{
    /// <summary>The whole text with every match marked, as safe HTML.</summary>
    public static string Highlight(string text, IReadOnlyList<QueryTerm> terms, bool splitCjk) =>
        HighlightHtml.Encode(Mark(text, 0, text.Length, Matches(text, SearchText.Words(text, splitCjk), terms)));

    /// <summary>Snippets of the highlighted text fields of a document that matched, by field.</summary>
    public static Dictionary<string, string> Fields(System.Text.Json.Nodes.JsonObject source, IReadOnlyList<(string Field, List<QueryTerm> Terms)> fields, int length)
    {
        var marks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, terms) in fields)
        {
            if (terms.Count > 0 && source[field] is System.Text.Json.Nodes.JsonValue value
                && Snippet(value.GetValue<string>(), terms, splitCjk: true, length) is var snippet && snippet.Contains("<mark>", StringComparison.Ordinal))
            {
                marks[field] = snippet;
            }
        }

        return marks;
    }

    /// <summary>
    /// About <paramref name="length"/> words (a CJK character counts as one) around the densest
    /// matches, "…" where text was cut, as safe HTML; the start of the text when nothing matches.
    /// </summary>
    public static string Snippet(string text, IReadOnlyList<QueryTerm> terms, bool splitCjk, int length)
    {
        var words = SearchText.Words(text, splitCjk);
        var matches = Matches(text, words, terms);
        var units = Units(text, words);
        if (units.Count == 0)
        {
            return HighlightHtml.Encode(text);
        }

        var first = 0;
        if (matches.Count > 0 && units.Count > length)
        {
            var matched = units.Select((u, i) => (u, i)).Where(x => matches.Any(m => m.Start < x.u.End && x.u.Start < m.End)).Select(x => x.i).ToList();
            // The window that holds the most matched units, a few units of context before the first.
            var best = matched[0];
            for (int i = 0, j = 0, most = 0; i < matched.Count; i++)
            {
                while (j < matched.Count && matched[j] < matched[i] + length)
                {
                    j++;
                }

                if (j - i > most)
                {
                    (most, best) = (j - i, matched[i]);
                }
            }

            first = Math.Clamp(best - (length / 4), 0, units.Count - length);
        }

        var last = Math.Min(units.Count, first + length) - 1;
        var from = first == 0 ? 0 : units[first].Start;
        var to = last == units.Count - 1 ? text.Length : units[last].End;
        return (first == 0 ? string.Empty : "…") + HighlightHtml.Encode(Mark(text, from, to, matches)) + (to == text.Length ? string.Empty : "…");
    }

    private static List<(int Start, int End)> Matches(string text, List<TextWord> words, IReadOnlyList<QueryTerm> terms)
    {
        var folded = terms.Where(t => !t.IsCjk).Select(t => SearchText.Fold(t.Text)).ToHashSet(StringComparer.Ordinal);
        var cjk = terms.Where(t => t.IsCjk).Select(t => t.Text).ToList();
        var spans = new List<(int Start, int End)>();
        foreach (var word in words)
        {
            if (!word.IsCjk)
            {
                if (folded.Count > 0 && folded.Contains(SearchText.Fold(text.Substring(word.Start, word.Length))))
                {
                    spans.Add((word.Start, word.End));
                }

                continue;
            }

            foreach (var term in cjk)
            {
                for (var at = text.IndexOf(term, word.Start, word.Length, StringComparison.Ordinal); at >= 0 && at + term.Length <= word.End;
                     at = at + 1 < word.End ? text.IndexOf(term, at + 1, word.End - at - 1, StringComparison.Ordinal) : -1)
                {
                    spans.Add((at, at + term.Length));
                }
            }
        }

        spans.Sort();
        var merged = new List<(int Start, int End)>(spans.Count);
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start < merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, span.End));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    // Snippet units: a word, or one character of a CJK run.
    private static List<(int Start, int End)> Units(string text, List<TextWord> words)
    {
        var units = new List<(int Start, int End)>(words.Count);
        foreach (var word in words)
        {
            if (!word.IsCjk)
            {
                units.Add((word.Start, word.End));
                continue;
            }

            for (var i = word.Start; i < word.End; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                units.Add((i, i + (char.IsSurrogatePair(text, i) ? 2 : 1)));
            }
        }

        return units;
    }

    private static string Mark(string text, int from, int to, List<(int Start, int End)> matches)
    {
        var marked = new StringBuilder(to - from + 16);
        var at = from;
        foreach (var (start, end) in matches)
        {
            if (end <= from || start >= to)
            {
                continue;
            }

            var s = Math.Max(start, from);
            var e = Math.Min(end, to);
            marked.Append(text, at, s - at).Append(HighlightHtml.Open).Append(text, s, e - s).Append(HighlightHtml.Close);
            at = e;
        }

        return marked.Append(text, at, to - at).ToString();
    }
}
