using System.Text;
using System.Text.RegularExpressions;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// Reads plain text and Markdown (UTF-8, or UTF-16 with a byte order mark). Markdown loses its
/// markup (heading marks, emphasis, link targets, list bullets) so that search snippets read
/// like prose; its first heading becomes the title.
/// </summary>
public sealed partial class PlainTextExtractor : IDocumentTextExtractor
{
    private const int MaxTitleLength = 120;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16LittleEndian = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16BigEndian = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public IReadOnlyList<string> ContentTypes { get; } = ["text/plain", "text/markdown", "text/x-markdown"];

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Extensions { get; } = new Dictionary<string, string>
    {
        [".txt"] = "text/plain",
        [".text"] = "text/plain",
        [".md"] = "text/markdown",
        [".markdown"] = "text/markdown",
    };

    /// <inheritdoc />
    public async Task ValidateAsync(Stream content, CancellationToken cancellationToken) =>
        _ = await DecodeAsync(content, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<ExtractedText> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return ExtractAsync(content, fileName, Extensions.GetValueOrDefault(Path.GetExtension(fileName).ToLowerInvariant(), "text/plain"), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ExtractedText> ExtractAsync(Stream content, string fileName, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(contentType);
        var text = NormalizeLineEndings(await DecodeAsync(content, cancellationToken).ConfigureAwait(false));
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return type is "text/markdown" or "text/x-markdown" ? FromMarkdown(text) : new ExtractedText(FirstLine(text), text.Trim());
    }

    private static async Task<string> DecodeAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        // The byte order mark decides the encoding; every decoder throws on invalid bytes, so
        // binary data never becomes text full of replacement characters.
        var (encoding, skip) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ((Encoding)StrictUtf8, 3),
            [0xFF, 0xFE, ..] => (StrictUtf16LittleEndian, 2),
            [0xFE, 0xFF, ..] => (StrictUtf16BigEndian, 2),
            _ => (StrictUtf8, 0),
        };

        string text;
        try
        {
            text = encoding.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException)
        {
            throw new MindoraUnsupportedContentException(
                skip == 2 ? "binary data (the bytes are not UTF-16 text)" : "binary data (the bytes are not UTF-8 text)",
                ["UTF-8 or UTF-16 text"]);
        }

        // NUL never appears in text; it marks a binary file that happens to decode.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new MindoraUnsupportedContentException("binary data (the bytes contain NUL)", ["UTF-8 or UTF-16 text"]);
        }

        return text;
    }

    private static string NormalizeLineEndings(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string? FirstLine(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return line is null ? null : Shorten(line);
    }

    private static string Shorten(string title) => title.Length <= MaxTitleLength ? title : title[..MaxTitleLength].TrimEnd() + "…";

    private static ExtractedText FromMarkdown(string markdown)
    {
        string? title = null;
        var output = new List<string>();
        var headings = new List<DocumentHeading>();
        string? fence = null;
        var previousIsParagraph = false;
        foreach (var line in markdown.Split('\n'))
        {
            // Code blocks keep their text as written: a '# comment' there is no heading.
            var fenceMatch = FenceRegex().Match(line);
            if (fence is null && fenceMatch.Success)
            {
                fence = fenceMatch.Groups[1].Value;
                previousIsParagraph = false;
                continue;
            }

            if (fence is not null)
            {
                if (fenceMatch.Success && fenceMatch.Groups[1].Value[0] == fence[0] && fenceMatch.Groups[1].Value.Length >= fence.Length && fenceMatch.Groups[2].Value.Trim().Length == 0)
                {
                    fence = null;
                }
                else
                {
                    output.Add(line);
                }

                continue;
            }

            // "Title" over "=====" or "-----" is a heading; the underline is markup.
            if (previousIsParagraph && SetextUnderlineRegex().IsMatch(line))
            {
                title ??= TitleFrom(output[^1]);
                AddHeading(headings, line.TrimStart()[0] == '=' ? 1 : 2, output[^1]);
                previousIsParagraph = false;
                continue;
            }

            if (ThematicBreakRegex().IsMatch(line))
            {
                previousIsParagraph = false;
                continue;
            }

            var heading = HeadingRegex().Match(line);
            if (heading.Success)
            {
                var text = Inline(heading.Groups[1].Value).Trim();
                title ??= TitleFrom(text);
                AddHeading(headings, line.TrimStart().TakeWhile(c => c == '#').Count(), text);
                output.Add(text);
                previousIsParagraph = false;
                continue;
            }

            var isListOrQuote = ListOrQuoteRegex().IsMatch(line);
            var stripped = Inline(ListOrQuoteRegex().Replace(line, string.Empty));
            output.Add(stripped);
            previousIsParagraph = !isListOrQuote && stripped.Trim().Length > 0;
        }

        var result = string.Join('\n', output).Trim();
        return new ExtractedText(title ?? FirstLine(result), result) { Headings = headings };
    }

    private static void AddHeading(List<DocumentHeading> headings, int level, string text)
    {
        if (text.Trim().Length > 0)
        {
            headings.Add(new DocumentHeading(level, text.Trim()));
        }
    }

    private static string? TitleFrom(string text) => text.Trim() is { Length: > 0 } title ? Shorten(title) : null;

    private static string Inline(string line)
    {
        line = ImageOrLinkRegex().Replace(line, "$1");
        line = EmphasisRegex().Replace(line, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[4].Value);
        return line;
    }

    // An opening fence: 3+ backticks or tildes, then an info string (a closing fence has none).
    [GeneratedRegex(@"^ {0,3}(`{3,}|~{3,})(.*)$")]
    private static partial Regex FenceRegex();

    // ATX heading: 1-6 '#', a space (or nothing), the text, an optional closing '#' run after a space.
    [GeneratedRegex(@"^ {0,3}#{1,6}(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"^ {0,3}(?:=+|-+)[ \t]*$")]
    private static partial Regex SetextUnderlineRegex();

    [GeneratedRegex(@"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")]
    private static partial Regex ThematicBreakRegex();

    [GeneratedRegex(@"^\s{0,3}(?:>\s?)+(?:\s*(?:[-*+]|\d{1,9}[.)])\s+)?|^\s*(?:[-*+]|\d{1,9}[.)])\s+")]
    private static partial Regex ListOrQuoteRegex();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex ImageOrLinkRegex();

    // '*' emphasis may sit inside a word; '_' emphasis may not (file_name stays file_name).
    [GeneratedRegex(@"(\*\*|\*|`)(?=\S)(.+?)(?<=\S)\1|(?<![\p{L}\p{N}_])(__|_)(?=\S)(.+?)(?<=\S)\3(?![\p{L}\p{N}_])")]
    private static partial Regex EmphasisRegex();
}
