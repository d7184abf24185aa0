using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Mindora.Integrations.Search;

/// <summary>
/// Makes FTS5 highlight()/snippet() output safe to embed in HTML. FTS5 marks matches with two
/// private sentinel characters; the text between them is HTML-encoded and only the sentinels
/// become <c>&lt;mark&gt;</c>/<c>&lt;/mark&gt;</c>, so document text can never inject markup.
/// </summary>
internal static partial class HighlightHtml
{
    /// <summary>Marks the start of a match in FTS5 output.</summary>
    public const char Open = '\u0002';

    /// <summary>Marks the end of a match in FTS5 output.</summary>
    public const char Close = '\u0003';

    // All scripts stay readable; only HTML-significant characters are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// Encodes <paramref name="marked"/> and turns sentinels into balanced mark tags. Runs of
    /// whitespace (line breaks included) become one space: a snippet reads as one line of prose.
    /// </summary>
    public static string Encode(string marked)
    {
        marked = WhitespaceRun().Replace(marked, " ").Trim();
        var html = new StringBuilder(marked.Length + 32);
        var open = false;
        var start = 0;
        for (var i = 0; i < marked.Length; i++)
        {
            var c = marked[i];
            if (c is not (Open or Close))
            {
                continue;
            }

            html.Append(Encoder.Encode(marked[start..i]));
            if (c == Open && !open)
            {
                html.Append("<mark>");
                open = true;
            }
            else if (c == Close && open)
            {
                html.Append("</mark>");
                open = false;
            }

            start = i + 1;
        }

        html.Append(Encoder.Encode(marked[start..]));
        if (open)
        {
            html.Append("</mark>");
        }

        return html.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex WhitespaceRun();

    /// <summary>Removes sentinel characters from indexed text, so only FTS5 can produce them.</summary>
    public static string StripSentinels(string text) =>
        text.AsSpan().IndexOfAny(Open, Close) < 0 ? text : text.Replace(Open, ' ').Replace(Close, ' ');
}
