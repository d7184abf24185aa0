using System.Text;
using Mindora.Integrations.Ingestion;

namespace Mindora.Integrations.Tests.Ingestion;

public sealed class PlainTextExtractorTests
{
    private readonly PlainTextExtractor _extractor = new();

    [Fact]
    public async Task Plain_text_title_is_the_first_non_empty_line_and_text_is_kept_whole()
    {
        var extracted = await ExtractAsync("notes.txt", "\n   \n  Shopping list  \napples\n\npears\n");

        Assert.Equal("Shopping list", extracted.Title);
        Assert.Equal("Shopping list  \napples\n\npears", extracted.Text);
    }

    [Fact]
    public async Task Plain_text_keeps_markdown_like_characters()
    {
        var extracted = await ExtractAsync("notes.txt", "# not a heading in a .txt\n**literal** stars and my_var_name");

        Assert.Equal("# not a heading in a .txt", extracted.Title);
        Assert.Contains("**literal** stars", extracted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_first_line_is_shortened_for_the_title()
    {
        var line = string.Join(' ', Enumerable.Repeat("word", 60));

        var extracted = await ExtractAsync("long.txt", line);

        Assert.True(extracted.Title!.Length <= 121, extracted.Title);
        Assert.EndsWith("…", extracted.Title, StringComparison.Ordinal);
        Assert.Equal(line, extracted.Text);
    }

    [Fact]
    public async Task Markdown_loses_heading_marks_emphasis_links_and_list_bullets_and_the_first_heading_is_the_title()
    {
        const string markdown = """
            Intro before any heading.

            # Quarterly **Report** #

            Revenue *grew* by __ten__ percent, see [the figures](https://example.com/figures) and ![chart](chart.png).

            - first point
            * second point
            + third point
            1. numbered one
            2) numbered two

            > quoted wisdom

            ## Next steps
            Call `deploy` now.
            """;

        var extracted = await ExtractAsync("report.md", markdown);

        Assert.Equal("Quarterly Report", extracted.Title);
        var lines = extracted.Text.Split('\n');
        Assert.Equal(
            [
                "Intro before any heading.", string.Empty,
                "Quarterly Report", string.Empty,
                "Revenue grew by ten percent, see the figures and chart.", string.Empty,
                "first point", "second point", "third point", "numbered one", "numbered two", string.Empty,
                "quoted wisdom", string.Empty,
                "Next steps", "Call deploy now.",
            ],
            lines);
    }

    [Fact]
    public async Task Markdown_without_a_heading_takes_the_first_line_as_title()
    {
        var extracted = await ExtractAsync("readme.markdown", "\n**Bold** start of the text\nmore");

        Assert.Equal("Bold start of the text", extracted.Title);
    }

    [Fact]
    public async Task Markdown_heading_closing_marks_need_a_space_so_c_sharp_keeps_its_hash()
    {
        var extracted = await ExtractAsync("csharp.md", "# Learn C#\n\n## Setup ##\ntext");

        Assert.Equal("Learn C#", extracted.Title);
        Assert.StartsWith("Learn C#\n\nSetup\n", extracted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_empty_heading_is_not_the_title()
    {
        var extracted = await ExtractAsync("empty.md", "#\n\n# Real title\nbody");

        Assert.Equal("Real title", extracted.Title);
    }

    [Fact]
    public async Task Markdown_code_blocks_keep_their_text_and_their_comments_are_not_headings()
    {
        const string markdown = """
            Install it like this:

            ```bash
            # install the tool
            pip install my_tool  # __init__ stays
            ```

            # Usage
            """;

        var extracted = await ExtractAsync("install.md", markdown);

        Assert.Equal("Usage", extracted.Title);
        Assert.Contains("# install the tool", extracted.Text, StringComparison.Ordinal);
        Assert.Contains("pip install my_tool  # __init__ stays", extracted.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("```", extracted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_keeps_underscores_inside_words()
    {
        var extracted = await ExtractAsync("api.md", "Set file_name and content_type, then call _private_ helpers.");

        Assert.Equal("Set file_name and content_type, then call private helpers.", extracted.Text);
    }

    [Fact]
    public async Task Markdown_setext_heading_is_the_title_and_loses_its_underline()
    {
        var extracted = await ExtractAsync("setext.md", "Release notes\n=============\n\nFixed bugs.\n\nDetails\n-------\nMore.");

        Assert.Equal("Release notes", extracted.Title);
        Assert.Equal("Release notes\n\nFixed bugs.\n\nDetails\nMore.", extracted.Text);
    }

    [Fact]
    public async Task Crlf_line_endings_are_normalized_in_text_and_title()
    {
        var plain = await ExtractAsync("dos.txt", "First line\r\nsecond line\r\n");
        var markdown = await ExtractAsync("dos.md", "# Title\r\n\r\nBody *text*\r\n- item\r\n");

        Assert.Equal("First line", plain.Title);
        Assert.Equal("First line\nsecond line", plain.Text);
        Assert.Equal("Title", markdown.Title);
        Assert.Equal("Title\n\nBody text\nitem", markdown.Text);
    }

    [Fact]
    public async Task Lone_carriage_returns_end_lines_too()
    {
        var extracted = await ExtractAsync("mac.txt", "Old Mac title\rbody");

        Assert.Equal("Old Mac title", extracted.Title);
        Assert.Equal("Old Mac title\nbody", extracted.Text);
    }

    [Fact]
    public async Task Utf8_with_or_without_byte_order_mark_reads()
    {
        var withBom = await ExtractBytesAsync("bom.txt", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("Grüße aus Köln")]);
        var withoutBom = await ExtractBytesAsync("nobom.txt", Encoding.UTF8.GetBytes("Grüße aus Köln"));

        Assert.Equal("Grüße aus Köln", withBom.Text);
        Assert.Equal("Grüße aus Köln", withBom.Title);
        Assert.Equal("Grüße aus Köln", withoutBom.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Utf16_with_byte_order_mark_reads(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var bytes = (byte[])[.. encoding.GetPreamble(), .. encoding.GetBytes("# Zürich\r\nCafé notes")];

        var extracted = await ExtractBytesAsync("utf16.md", bytes);

        Assert.Equal("Zürich", extracted.Title);
        Assert.Equal("Zürich\nCafé notes", extracted.Text);
    }

    [Fact]
    public async Task Invalid_utf8_is_rejected_as_binary()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xD8 };

        var error = await Assert.ThrowsAsync<MindoraUnsupportedContentException>(() => ExtractBytesAsync("image.txt", png));

        Assert.Contains("binary", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nul_bytes_are_rejected_as_binary_even_when_the_bytes_decode()
    {
        var error = await Assert.ThrowsAsync<MindoraUnsupportedContentException>(() => ExtractBytesAsync("data.txt", "text\0with\0nul"u8.ToArray()));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf16_without_byte_order_mark_is_rejected_because_of_its_nul_bytes()
    {
        await Assert.ThrowsAsync<MindoraUnsupportedContentException>(() => ExtractBytesAsync("utf16.txt", Encoding.Unicode.GetBytes("Hello")));
    }

    [Fact]
    public async Task Invalid_bytes_after_a_utf8_byte_order_mark_are_rejected()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, (byte)'o', (byte)'k', 0xC3, 0x28, 0xFF];

        var error = await Assert.ThrowsAsync<MindoraUnsupportedContentException>(() => ExtractBytesAsync("tricky.txt", bytes));

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf16_after_a_byte_order_mark_is_rejected()
    {
        // A lone high surrogate (D800) followed by 'A': not text in any encoding.
        byte[] bytes = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00];

        await Assert.ThrowsAsync<MindoraUnsupportedContentException>(() => ExtractBytesAsync("tricky.txt", bytes));
    }

    [Fact]
    public async Task Validate_accepts_text_and_rejects_binary()
    {
        await _extractor.ValidateAsync(new MemoryStream("fine"u8.ToArray()), CancellationToken.None);

        await Assert.ThrowsAsync<MindoraUnsupportedContentException>(() => _extractor.ValidateAsync(new MemoryStream([0xC0, 0x80]), CancellationToken.None));
    }

    [Fact]
    public async Task Empty_or_whitespace_text_has_no_title_and_empty_text()
    {
        var extracted = await ExtractAsync("blank.txt", "  \n\t\r\n  ");

        Assert.Null(extracted.Title);
        Assert.Equal(string.Empty, extracted.Text);
    }

    [Fact]
    public async Task Declared_markdown_content_type_extracts_markdown_whatever_the_extension()
    {
        using var content = new MemoryStream("# Heading\n*soft*"u8.ToArray());

        var extracted = await _extractor.ExtractAsync(content, "notes.txt", "text/markdown", CancellationToken.None);

        Assert.Equal("Heading", extracted.Title);
        Assert.Equal("Heading\nsoft", extracted.Text);
    }

    [Fact]
    public async Task Caller_stream_is_left_open()
    {
        using var content = new MemoryStream("text"u8.ToArray());

        await _extractor.ExtractAsync(content, "a.txt", CancellationToken.None);

        Assert.True(content.CanRead);
    }

    private Task<ExtractedText> ExtractAsync(string fileName, string text) => ExtractBytesAsync(fileName, Encoding.UTF8.GetBytes(text));

    private async Task<ExtractedText> ExtractBytesAsync(string fileName, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        return await _extractor.ExtractAsync(content, fileName, CancellationToken.None);
    }
}
