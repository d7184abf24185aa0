using System.IO.Compression;
using System.Text;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public sealed class ContentTypeDetectionTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    public static TheoryData<string, byte[], string> Samples => new()
    {
        { "pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "application/pdf" },
        { "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "image/png" },
        { "jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F'], "image/jpeg" },
        { "gif", Encoding.ASCII.GetBytes("GIF89a\u0001\u0000"), "image/gif" },
        { "ascii text", Encoding.UTF8.GetBytes("Hello, world.\r\n\tIndented line.\n"), "text/plain" },
        { "utf-8 text", Encoding.UTF8.GetBytes("Résumé — naïve café 日本語 😀"), "text/plain" },
        { "binary", [0x00, 0x01, 0x02, 0xFE, 0xFF, 0x10], "application/octet-stream" },
        { "invalid utf-8", [(byte)'a', 0xC3, 0x28, (byte)'b'], "application/octet-stream" },
        { "docx", Zip("[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "xlsx", Zip("[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "zip", Zip("readme.txt"), "application/zip" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Content_type_is_detected_from_the_first_bytes(string sample, byte[] content, string expected)
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");

        var info = await files.UploadAsync("b", sample, new MemoryStream(content));

        Assert.Equal(expected, info.ContentType);
    }

    [Fact]
    public async Task Long_utf8_text_cut_inside_a_character_by_the_sniff_window_is_still_text()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        var text = Encoding.UTF8.GetBytes("x" + string.Concat(Enumerable.Repeat("é", 10_000)));

        var info = await files.UploadAsync("b", "long.txt", new MemoryStream(text));

        Assert.Equal("text/plain", info.ContentType);
    }

    [Fact]
    public async Task Caller_content_type_wins_over_detection()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");

        var info = await files.UploadAsync("b", "data.json", new MemoryStream("{\"a\":1}"u8.ToArray()), new UploadOptions { ContentType = "application/json; charset=utf-8" });

        Assert.Equal("application/json; charset=utf-8", info.ContentType);
    }

    private static byte[] Zip(params string[] entries)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
                writer.Write("<xml/>");
            }
        }

        return buffer.ToArray();
    }
}
