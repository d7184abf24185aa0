using Mindora.Integrations.Ingestion;

namespace Mindora.Integrations.Tests.Ingestion;

public sealed class DocumentTypesTests
{
    private readonly DocumentTypes _types = new([new PlainTextExtractor()]);

    [Theory]
    [InlineData("notes.md", "application/octet-stream", "text/markdown")]
    [InlineData("notes.md", null, "text/markdown")]
    [InlineData("notes.md", "", "text/markdown")]
    [InlineData("notes.markdown", "binary/octet-stream", "text/markdown")]
    [InlineData("notes.txt", "text/plain", "text/plain")]
    [InlineData("notes.txt", "text/plain; charset=utf-8", "text/plain")]
    [InlineData("NOTES.TXT", "TEXT/PLAIN", "text/plain")]
    [InlineData("notes.text", "application/octet-stream", "text/plain")]
    [InlineData("notes.md", "text/plain", "text/markdown")]
    [InlineData("notes.md", "text/markdown", "text/markdown")]
    [InlineData("notes.txt", "text/csv", "text/plain")]
    public void Known_extension_with_a_generic_or_agreeing_type_resolves_to_the_canonical_type(string fileName, string? declared, string expected)
    {
        var (extractor, contentType) = _types.Resolve(fileName, declared);

        Assert.IsType<PlainTextExtractor>(extractor);
        Assert.Equal(expected, contentType);
    }

    [Fact]
    public void Declared_markdown_for_a_txt_file_is_stored_as_markdown_because_the_specific_declared_type_wins()
    {
        Assert.Equal("text/markdown", _types.Resolve("notes.txt", "text/markdown").ContentType);
    }

    [Fact]
    public void Legacy_markdown_type_is_stored_under_the_canonical_name()
    {
        Assert.Equal("text/markdown", _types.Resolve("notes.md", "text/x-markdown").ContentType);
        Assert.Equal("text/markdown", _types.Resolve("notes.txt", "text/x-markdown").ContentType);
        Assert.Equal("text/markdown", _types.Resolve("README", "text/x-markdown").ContentType);
    }

    [Fact]
    public void File_without_extension_resolves_by_its_declared_type()
    {
        Assert.Equal("text/markdown", _types.Resolve("README", "text/markdown").ContentType);
        Assert.Equal("text/plain", _types.Resolve("LICENSE", "text/plain").ContentType);
    }

    [Theory]
    [InlineData("report.pdf", "application/pdf", "application/pdf (.pdf)")]
    [InlineData("setup.exe", "application/octet-stream", "application/octet-stream (.exe)")]
    [InlineData("setup.exe", null, ".exe")]
    [InlineData("setup.exe", "text/plain", "text/plain (.exe)")]
    [InlineData("notes.txt", "application/pdf", "application/pdf (.txt)")]
    [InlineData("photo.png", "image/png", "image/png (.png)")]
    [InlineData("README", null, "unknown")]
    [InlineData("README", "application/octet-stream", "application/octet-stream (no extension)")]
    public void Unsupported_type_is_rejected_naming_what_is_allowed(string fileName, string? declared, string shown)
    {
        var error = Assert.Throws<MindoraUnsupportedContentException>(() => _types.Resolve(fileName, declared));

        Assert.Equal(shown, error.ContentType);
        Assert.Equal("unsupported_content", error.ErrorCode);
        Assert.Contains($"'{shown}' is not supported", error.Message, StringComparison.Ordinal);
        foreach (var allowed in new[] { ".txt", ".md", "text/plain", "text/markdown" })
        {
            Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Allowed_lists_every_extension_and_content_type_once()
    {
        Assert.Equal([".txt", ".text", ".md", ".markdown", "text/plain", "text/markdown", "text/x-markdown"], _types.Allowed);
    }

    [Fact]
    public void Stored_content_type_finds_its_extractor_and_an_unknown_one_is_unsupported()
    {
        Assert.IsType<PlainTextExtractor>(_types.ForContentType("text/markdown"));
        Assert.IsType<PlainTextExtractor>(_types.ForContentType("Text/Plain; charset=utf-8"));

        var error = Assert.Throws<MindoraUnsupportedContentException>(() => _types.ForContentType("application/pdf"));
        Assert.Contains("text/plain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_extractors_means_nothing_is_supported()
    {
        var none = new DocumentTypes([]);

        Assert.Throws<MindoraUnsupportedContentException>(() => none.Resolve("notes.txt", "text/plain"));
    }
}
