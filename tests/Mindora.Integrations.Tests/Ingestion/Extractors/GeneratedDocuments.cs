using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Mindora.Integrations.Tests.Ingestion.Extractors;

/// <summary>Builds small, valid Office and PDF documents byte by byte, so each test states exactly what it reads.</summary>
internal static class GeneratedDocuments
{
    public static byte[] Docx(params (string Style, string Text)[] paragraphs)
    {
        var body = string.Concat(paragraphs.Select(p =>
            $"<w:p>{(p.Style.Length > 0 ? $"<w:pPr><w:pStyle w:val=\"{p.Style}\"/></w:pPr>" : string.Empty)}<w:r><w:t xml:space=\"preserve\">{SecurityElement.Escape(p.Text)}</w:t></w:r></w:p>"));
        return Zip(
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"),
            ("word/document.xml", $"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"));
    }

    public static byte[] Xlsx(string sheetName, params string[][] rows)
    {
        var strings = rows.SelectMany(r => r).Distinct().ToList();
        var sheetRows = string.Concat(rows.Select((row, r) =>
            $"<row r=\"{r + 1}\">{string.Concat(row.Select(cell => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? $"<c><v>{cell}</v></c>" : $"<c t=\"s\"><v>{strings.IndexOf(cell)}</v></c>"))}</row>"));
        return Zip(
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", $"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"{SecurityElement.Escape(sheetName)}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"),
            ("xl/sharedStrings.xml", $"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{string.Concat(strings.Select(s => $"<si><t>{SecurityElement.Escape(s)}</t></si>"))}</sst>"),
            ("xl/worksheets/sheet1.xml", $"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{sheetRows}</sheetData></worksheet>"));
    }

    public static byte[] Zip(params (string Path, string Content)[] parts)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in parts)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A zip whose one part inflates to <paramref name="megabytes"/> MiB of zeros.</summary>
    public static byte[] ZipBomb(string path, int megabytes)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(path, CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++)
            {
                entry.Write(zeros);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A PDF with a classic cross-reference table. Each object is given as its body; the
    /// catalog is object 1, the page tree object 2. Stream bodies are written as given.
    /// </summary>
    public static byte[] Pdf(string trailerExtra, params string[] objects)
    {
        var text = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(text.ToString()));
            text.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(text.ToString());
        text.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            text.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        text.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R {trailerExtra} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>A one-page PDF whose page shows <paramref name="content"/> with font /F1 = <paramref name="font"/>.</summary>
    public static byte[] OnePage(string content, string font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", string trailerExtra = "", params string[] extraObjects)
    {
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {Encoding.Latin1.GetByteCount(content)} >>\nstream\n{content}\nendstream",
            font,
            .. extraObjects,
        ];
        return Pdf(trailerExtra, objects);
    }

    public static string Flate(string text, out int length)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(Encoding.Latin1.GetBytes(text));
        }

        var bytes = buffer.ToArray();
        length = bytes.Length;
        return Encoding.Latin1.GetString(bytes);
    }
}
