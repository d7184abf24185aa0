using System.Text;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Extractors;

namespace Mindora.Integrations.Tests.Ingestion.Extractors;

public class ExtractorTests
{
    private static Task<ExtractedText> Pdf(byte[] bytes) => new PdfExtractor().ExtractAsync(new MemoryStream(bytes), "doc.pdf", CancellationToken.None);

    private static Task<ExtractedText> Office(byte[] bytes, string fileName) =>
        new OfficeDocumentExtractor().ExtractAsync(new MemoryStream(bytes), fileName, CancellationToken.None);

    [Fact]
    public async Task Word_paragraphs_become_lines_and_the_first_heading_is_the_title()
    {
        var text = await Office(GeneratedDocuments.Docx(("Heading1", "Quarterly report"), ("", "Revenue grew <fast> & steady."), ("", "向量数据库 works too.")), "report.docx");

        Assert.Equal("Quarterly report", text.Title);
        Assert.Equal("Quarterly report\nRevenue grew <fast> & steady.\n向量数据库 works too.", text.Text);
    }

    [Fact]
    public async Task Excel_rows_become_tab_separated_lines_under_their_sheet_name()
    {
        var text = await Office(GeneratedDocuments.Xlsx("Budget", ["Item", "Cost"], ["Servers", "1200.5"], ["日本語", "3"]), "budget.xlsx");

        Assert.Equal("Budget\nItem\tCost\nServers\t1200.5\n日本語\t3", text.Text);
    }

    [Fact]
    public async Task A_zip_bomb_fails_as_corrupt_without_inflating_it()
    {
        var bomb = GeneratedDocuments.ZipBomb("word/document.xml", 64);

        var error = await Assert.ThrowsAsync<MindoraCorruptContentException>(() => Office(bomb, "bomb.docx"));

        Assert.Contains("zip bomb", error.Message, StringComparison.Ordinal);
        Assert.True(bomb.Length < 1024 * 1024);
    }

    [Theory]
    [InlineData("report.docx", "not a valid zip package")]
    [InlineData("budget.xlsx", "not a valid zip package")]
    [InlineData("paper.pdf", "does not start with a PDF header")]
    public async Task Bytes_that_are_not_what_the_name_says_fail_with_the_reason(string fileName, string reason)
    {
        var bytes = Encoding.UTF8.GetBytes("just some text pretending to be a document");

        var error = await Assert.ThrowsAsync<MindoraCorruptContentException>(() =>
            fileName.EndsWith(".pdf", StringComparison.Ordinal) ? Pdf(bytes) : Office(bytes, fileName));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_without_worksheets_is_corrupt()
    {
        var bytes = GeneratedDocuments.Zip(
            ("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>"));

        var error = await Assert.ThrowsAsync<MindoraCorruptContentException>(() => Office(bytes, "empty.xlsx"));

        Assert.Contains("no worksheets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Office_XML_with_a_DTD_is_refused_so_no_entity_can_expand()
    {
        var bytes = GeneratedDocuments.Zip(
            ("word/document.xml", "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"));

        var error = await Assert.ThrowsAsync<MindoraCorruptContentException>(() => Office(bytes, "entities.docx"));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PDF_text_operators_give_words_lines_and_the_info_title()
    {
        var content = "BT /F1 12 Tf 72 720 Td (Hello, PDF) Tj 0 -14 Td [(Spaced)-300(apart)] TJ 0 -14 Td (caf\\351 \\(escaped\\)) Tj ET";
        var bytes = GeneratedDocuments.OnePage(content, trailerExtra: "/Info 6 0 R", extraObjects: ["<< /Title (Generated test) >>"]);

        var text = await Pdf(bytes);

        Assert.Equal("Generated test", text.Title);
        Assert.Equal("Hello, PDF\nSpaced apart\ncafé (escaped)", text.Text);
    }

    [Fact]
    public async Task Compressed_content_and_a_ToUnicode_map_on_a_composite_font_are_read()
    {
        // Identity-H: two bytes per code; the map says codes 1 and 2 are 向 and 量.
        var cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <5411> <0002> <91CF> endbfchar endcmap end end";
        var compressed = GeneratedDocuments.Flate("BT /F1 10 Tf 50 700 Td <00010002> Tj ET", out var length);
        var pdf = GeneratedDocuments.Pdf(
            string.Empty,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {length} /Filter /FlateDecode >>\nstream\n{compressed}\nendstream",
            "<< /Type /Font /Subtype /Type0 /BaseFont /Noto /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 6 0 R >>",
            $"<< /Length {cmap.Length} >>\nstream\n{cmap}\nendstream",
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Noto /DW 1000 >>");

        var text = await Pdf(pdf);

        Assert.Equal("向量", text.Text);
    }

    [Fact]
    public async Task Differences_name_glyphs_for_their_codes()
    {
        var font = "<< /Type /Font /Subtype /Type1 /BaseFont /Custom /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [65 /fi /eacute] >> >>";
        var text = await Pdf(GeneratedDocuments.OnePage("BT /F1 12 Tf 72 720 Td (AnBl) Tj ET", font));

        Assert.Equal("finél", text.Text);
    }

    [Fact]
    public async Task Pages_are_separated_by_form_feeds_in_order()
    {
        var pdf = GeneratedDocuments.Pdf(
            string.Empty,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /Font << /F1 7 0 R >> >> >>",
            "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
            "<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>",
            "<< /Length 33 >>\nstream\nBT /F1 9 Tf (first page) Tj ET\nendstream",
            "<< /Length 34 >>\nstream\nBT /F1 9 Tf (second page) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        var text = await Pdf(pdf);

        Assert.Equal(["first page", "second page"], text.Text.Split("\n\f\n"));
    }

    [Fact]
    public async Task An_encrypted_PDF_fails_saying_so()
    {
        var bytes = GeneratedDocuments.OnePage("BT /F1 12 Tf (secret) Tj ET", trailerExtra: "/Encrypt 6 0 R", extraObjects: ["<< /Filter /Standard /V 2 /R 3 >>"]);

        var error = await Assert.ThrowsAsync<MindoraCorruptContentException>(() => Pdf(bytes));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_PDF_whose_cross_reference_is_wrong_is_read_by_scanning_for_objects()
    {
        var bytes = GeneratedDocuments.OnePage("BT /F1 12 Tf (still readable) Tj ET");
        var text = Encoding.Latin1.GetString(bytes);
        var broken = Encoding.Latin1.GetBytes(text[..text.IndexOf("startxref", StringComparison.Ordinal)] + "startxref\n999999\n%%EOF\n");

        var read = await Pdf(broken);

        Assert.Equal("still readable", read.Text);
    }

    [Fact]
    public async Task A_stream_that_inflates_beyond_the_limit_fails_as_corrupt()
    {
        var zeros = new string('0', 1024 * 1024);
        var builder = new StringBuilder();
        for (var i = 0; i < 130; i++)
        {
            builder.Append(zeros);
        }

        var compressed = GeneratedDocuments.Flate(builder.ToString(), out var length);
        var pdf = GeneratedDocuments.Pdf(
            string.Empty,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
            $"<< /Length {length} /Filter /FlateDecode >>\nstream\n{compressed}\nendstream");

        var error = await Assert.ThrowsAsync<MindoraCorruptContentException>(() => Pdf(pdf));

        Assert.Contains("MiB", error.Message, StringComparison.Ordinal);
    }
}
