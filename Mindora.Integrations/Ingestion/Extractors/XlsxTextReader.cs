using System.Globalization;
using System.Text;
using System.Xml;

namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>
/// The text of an Excel workbook: for each worksheet a line with its name, then its rows with
/// cells separated by tabs — shared strings, inline strings, numbers and booleans as written. A
/// workbook without worksheets is corrupt.
/// </summary>
internal static class XlsxTextReader
{
    private const string Kind = "Excel workbook (.xlsx)";
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static ExtractedText Read(Stream content)
    {
        using var package = ZipPackage.Open(content, Kind);
        var workbookPath = OoxmlText.MainPart(package, "xl/workbook.xml", Kind);
        var relationships = OoxmlRelationships.Read(package, workbookPath, Kind);
        var sheets = ReadSheets(package, workbookPath, relationships);
        if (sheets.Count == 0)
        {
            throw ZipPackage.Corrupt(Kind, "it has no worksheets");
        }

        var sharedStrings = ReadSharedStrings(package, relationships);
        var text = new StringBuilder();
        foreach (var (name, path) in sheets)
        {
            using var sheet = package.OpenPart(path, Kind) ?? throw ZipPackage.Corrupt(Kind, $"its worksheet '{name}' ({path}) is missing");
            text.Append(name).Append('\n');
            ReadRows(sheet, sharedStrings, text);
        }

        return new ExtractedText(null, text.ToString().Trim());
    }

    private static List<(string Name, string Path)> ReadSheets(ZipPackage package, string workbookPath, Dictionary<string, string> relationships)
    {
        using var workbook = package.OpenPart(workbookPath, Kind) ?? throw ZipPackage.Corrupt(Kind, "it has no workbook part");
        using var reader = XmlSafe.Create(workbook, Kind);
        var sheets = new List<(string, string)>();
        while (XmlSafe.Read(reader, Kind))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet"
                && reader.GetAttribute("id", RelationshipsNamespace) is { } id && relationships.TryGetValue(id, out var path))
            {
                sheets.Add((reader.GetAttribute("name") ?? path, path));
            }
        }

        return sheets;
    }

    private static List<string> ReadSharedStrings(ZipPackage package, Dictionary<string, string> relationships)
    {
        var strings = new List<string>();
        var path = relationships.Values.FirstOrDefault(p => p.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase)) ?? "xl/sharedStrings.xml";
        using var part = package.OpenPart(path, Kind);
        if (part is null)
        {
            return strings;
        }

        using var reader = XmlSafe.Create(part, Kind);
        var current = new StringBuilder();
        var inText = false;
        var phoneticDepth = 0;
        while (XmlSafe.Read(reader, Kind))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "si":
                    current.Clear();
                    if (reader.IsEmptyElement)
                    {
                        strings.Add(string.Empty);
                    }

                    break;
                case XmlNodeType.Element when reader.LocalName == "rPh":
                    phoneticDepth++;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "rPh":
                    phoneticDepth--;
                    break;
                case XmlNodeType.Element when reader.LocalName == "t":
                    inText = !reader.IsEmptyElement && phoneticDepth == 0;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "t":
                    inText = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace when inText:
                    current.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "si":
                    strings.Add(current.ToString());
                    break;
            }
        }

        return strings;
    }

    private static void ReadRows(Stream sheet, List<string> sharedStrings, StringBuilder text)
    {
        using var reader = XmlSafe.Create(sheet, Kind);
        var row = new List<string>();
        string? cellType = null;
        var value = new StringBuilder();
        var inValue = false;
        while (XmlSafe.Read(reader, Kind))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "row":
                    row.Clear();
                    break;
                case XmlNodeType.Element when reader.LocalName == "c":
                    cellType = reader.GetAttribute("t");
                    value.Clear();
                    if (reader.IsEmptyElement)
                    {
                        cellType = null;
                    }

                    break;
                case XmlNodeType.Element when reader.LocalName is "v" or "t":
                    inValue = !reader.IsEmptyElement;
                    break;
                case XmlNodeType.EndElement when reader.LocalName is "v" or "t":
                    inValue = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace when inValue:
                    value.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "c":
                    row.Add(CellText(cellType, value.ToString(), sharedStrings));
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "row":
                    if (row.Any(c => c.Length > 0))
                    {
                        text.Append(string.Join('\t', row).TrimEnd('\t')).Append('\n');
                    }

                    break;
            }
        }
    }

    private static string CellText(string? type, string raw, List<string> sharedStrings) => type switch
    {
        "s" => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < sharedStrings.Count ? sharedStrings[index] : string.Empty,
        "b" => raw == "1" ? "TRUE" : "FALSE",
        _ => raw,
    };
}
