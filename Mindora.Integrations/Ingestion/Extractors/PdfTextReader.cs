using System.Text;
using Mindora.Integrations.Ingestion.Extractors.Pdf;

namespace Mindora.Integrations.Ingestion.Extractors;

/// <summary>
/// The text of a PDF, page by page (pages separated by a form feed, so page numbers can be
/// recovered), read by our own parser: cross-reference tables and streams, object streams, the
/// Flate filter, text operators, standard and /Differences encodings and ToUnicode CMaps. An
/// encrypted or unreadable PDF fails with the reason.
/// </summary>
internal static class PdfTextReader
{
    private const string Kind = "PDF document";
    private const int MaxPages = 10_000;

    public static ExtractedText Read(Stream content)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(buffer.ToArray());
            var pages = new List<string>();
            foreach (var (page, resources) in Pages(document))
            {
                pages.Add(Normalize(new PdfPageText(document).Read(page, resources)));
                if (pages.Count >= MaxPages)
                {
                    break;
                }
            }

            // Form feeds are whitespace to Trim(): trimming them would shift the page numbers of
            // the text after leading empty pages (a cover image, a blank page).
            return new ExtractedText(Title(document), string.Join("\n\f\n", pages).Trim(' ', '\n', '\r', '\t')) { Pages = pages.Count };
        }
        catch (PdfFormatException e)
        {
            throw ZipPackage.Corrupt(Kind, e.Message);
        }
    }

    private static IEnumerable<(PdfDictionary Page, PdfDictionary? Resources)> Pages(PdfDocument document)
    {
        var catalog = (PdfDictionary)document.Resolve(document.Trailer["Root"])!;
        var stack = new Stack<(object? Node, PdfDictionary? Resources, int Depth)>();
        stack.Push((catalog["Pages"], null, 0));
        var seen = new HashSet<PdfDictionary>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var (reference, inherited, depth) = stack.Pop();
            if (document.Resolve(reference) is not PdfDictionary node || !seen.Add(node) || depth > 64)
            {
                continue;
            }

            var resources = document.Resolve(node["Resources"]) as PdfDictionary ?? inherited;
            if (document.Resolve(node["Kids"]) is List<object?> kids)
            {
                // A stack: push in reverse so pages come out in order.
                for (var i = kids.Count - 1; i >= 0; i--)
                {
                    stack.Push((kids[i], resources, depth + 1));
                }
            }
            else
            {
                yield return (node, resources);
            }
        }
    }

    private static string? Title(PdfDocument document)
    {
        if (document.Resolve(document.Trailer["Info"]) is not PdfDictionary info || document.Resolve(info["Title"]) is not PdfString title)
        {
            return null;
        }

        var bytes = title.Bytes;
        var text = bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF
            ? Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2)
            : Encoding.Latin1.GetString(bytes);
        text = text.Trim();
        return text.Length == 0 ? null : text;
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.TrimEnd())).Trim();
}
