using System.Text;
using System.Xml;

namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>
/// The text of a Word document (word/document.xml): paragraphs as lines, table cells separated
/// by tabs and rows by lines, tabs and breaks kept; the first Title or Heading paragraph is the title.
/// </summary>
internal static class DocxTextReader
{
    private const string Kind = "Word document (.docx)";
    private const string WordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    public static ExtractedText Read(Stream content)
    {
        using var package = ZipPackage.Open(content, Kind);
        var main = OoxmlText.MainPart(package, "word/document.xml", Kind);
        using var document = package.OpenPart(main, Kind) ?? throw ZipPackage.Corrupt(Kind, $"it has no main document part ({main})");
        using var reader = XmlSafe.Create(document, Kind);

        var text = new StringBuilder();
        var paragraph = new StringBuilder();
        string? title = null;
        var headings = new List<DocumentHeading>();
        var headingLevel = 0;
        var tableDepth = 0;
        var inText = false;
        while (XmlSafe.Read(reader, Kind))
        {
            if (inText && reader.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace or XmlNodeType.CDATA)
            {
                paragraph.Append(reader.Value);
                continue;
            }

            if (reader.NamespaceURI != WordNamespace)
            {
                continue;
            }

            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "p":
                        paragraph.Clear();
                        headingLevel = 0;
                        break;
                    case "pStyle":
                        var style = reader.GetAttribute("val", WordNamespace) ?? string.Empty;
                        headingLevel = HeadingLevel(style);
                        break;
                    case "t":
                        inText = !reader.IsEmptyElement;
                        break;
                    case "tab":
                        paragraph.Append('\t');
                        break;
                    case "br" or "cr":
                        paragraph.Append('\n');
                        break;
                    case "tbl":
                        tableDepth++;
                        break;
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement)
            {
                switch (reader.LocalName)
                {
                    case "t":
                        inText = false;
                        break;
                    case "p":
                        var line = paragraph.ToString().Trim();
                        if (line.Length > 0)
                        {
                            text.Append(line).Append(tableDepth > 0 ? " " : "\n");
                            if (headingLevel > 0)
                            {
                                title ??= line;
                                if (tableDepth == 0)
                                {
                                    headings.Add(new DocumentHeading(headingLevel, line));
                                }
                            }
                        }

                        break;
                    case "tc":
                        text.Append('\t');
                        break;
                    case "tr":
                        text.Append('\n');
                        break;
                    case "tbl":
                        tableDepth--;
                        break;
                }
            }
        }

        return new ExtractedText(title, text.ToString().Trim()) { Headings = headings };
    }

    // Word's built-in styles: Title, Heading1 … Heading9 (ids as stored; "heading 2" in some writers).
    private static int HeadingLevel(string style)
    {
        if (style.Equals("Title", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (!style.StartsWith("Heading", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var digits = style["Heading".Length..].Trim();
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var level) && level is >= 1 and <= 9 ? level : 1;
    }
}
