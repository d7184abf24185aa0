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
    public async Task<ExtractedText> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var text = await DecodeAsync(content, cancellationToken).ConfigureAwait(false);
        var isMarkdown = Extensions.GetValueOrDefault(Path.GetExtension(fileName).ToLowerInvariant()) == "text/markdown";
        return isMarkdown ? FromMarkdown(text) : new ExtractedText(FirstLine(text), text.Trim());
    }

    private static async Task<string> DecodeAsync(Stream content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, StrictUtf8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        string text;
        try
        {
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DecoderFallbackException)
        {
            throw new MindoraUnsupportedContentException("binary data (the bytes are not UTF-8 text)", ["UTF-8 or UTF-16 text"]);
        }

        // NUL never appears in text; it marks a binary file that happens to decode.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new MindoraUnsupportedContentException("binary data (the bytes contain NUL)", ["UTF-8 or UTF-16 text"]);
        }

        return text;
    }

    private static string? FirstLine(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return line is null ? null : Shorten(line);
    }

    private static string Shorten(string title) => title.Length <= MaxTitleLength ? title : title[..MaxTitleLength].TrimEnd() + "…";

    private static ExtractedText FromMarkdown(string markdown)
    {
        string? title = null;
        var output = new StringBuilder(markdown.Length);
        foreach (var rawLine in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (FenceRegex().IsMatch(rawLine))
            {
                continue;
            }

            var line = rawLine;
            var heading = HeadingRegex().Match(line);
            if (heading.Success)
            {
                line = heading.Groups[1].Value;
                title ??= Shorten(Inline(line).Trim());
            }

            line = ListOrQuoteRegex().Replace(line, string.Empty);
            output.AppendLine(Inline(line));
        }

        var text = output.ToString().Trim();
        return new ExtractedText(title ?? FirstLine(text), text);
    }

    private static string Inline(string line)
    {
        line = ImageOrLinkRegex().Replace(line, "$1");
        line = EmphasisRegex().Replace(line, "$2");
        return line;
    }

    [GeneratedRegex(@"^\s{0,3}(```|~~~)")]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"^\s{0,3}(?:>\s?)+|^\s*(?:[-*+]|\d{1,9}[.)])\s+")]
    private static partial Regex ListOrQuoteRegex();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex ImageOrLinkRegex();

    [GeneratedRegex(@"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex EmphasisRegex();
}
