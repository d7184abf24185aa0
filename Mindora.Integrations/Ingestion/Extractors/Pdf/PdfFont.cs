using System.Text;
using System.Text.RegularExpressions;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>
/// What a font's character codes mean: a ToUnicode CMap first, then (simple fonts) the
/// encoding — a base encoding, /Differences, or the Type 1 font program's own encoding —
/// and each glyph's width, used to place words apart.
/// </summary>
internal sealed partial class PdfFont
{
    private const double DefaultWidth = 500;
    private readonly PdfCMap? _toUnicode;
    private readonly string?[]? _simple;
    private readonly Dictionary<uint, double> _widths = [];
    private readonly double _defaultWidth;

    private PdfFont(bool composite, PdfCMap? toUnicode, string?[]? simple, double defaultWidth)
    {
        IsComposite = composite;
        _toUnicode = toUnicode;
        _simple = simple;
        _defaultWidth = defaultWidth;
    }

    /// <summary>Type0 (composite) fonts use multi-byte codes.</summary>
    public bool IsComposite { get; }

    public static PdfFont Load(PdfDocument document, PdfDictionary font)
    {
        var subtype = (document.Resolve(font["Subtype"]) as PdfName)?.Value;
        var toUnicode = document.Resolve(font["ToUnicode"]) is PdfStream cmapStream ? TryParse(document, cmapStream) : null;
        if (subtype == "Type0")
        {
            var descendant = (document.Resolve(font["DescendantFonts"]) as List<object?>)?.Select(document.Resolve).OfType<PdfDictionary>().FirstOrDefault();
            var result = new PdfFont(true, toUnicode, null, descendant is null ? 1000 : document.Number(descendant["DW"], 1000));
            if (descendant is not null && document.Resolve(descendant["W"]) is List<object?> w)
            {
                result.ReadCompositeWidths(document, w);
            }

            return result;
        }

        var simple = SimpleEncoding(document, font);
        var simpleFont = new PdfFont(false, toUnicode, simple, DefaultWidth);
        var firstChar = document.Integer(font["FirstChar"], 0);
        if (document.Resolve(font["Widths"]) is List<object?> widths)
        {
            for (var i = 0; i < widths.Count; i++)
            {
                simpleFont._widths[(uint)(firstChar + i)] = document.Number(widths[i], DefaultWidth);
            }
        }

        return simpleFont;
    }

    /// <summary>Splits a shown string into glyphs: each code's text (possibly empty) and width in text-space thousandths.</summary>
    public IEnumerable<(string Text, double Width, bool IsSpace)> Glyphs(byte[] bytes)
    {
        var position = 0;
        while (position < bytes.Length)
        {
            var length = IsComposite ? (_toUnicode?.CodeLength(bytes, position) ?? 2) : 1;
            length = Math.Max(1, Math.Min(length, bytes.Length - position));
            var code = PdfCMap.Code(bytes.AsSpan(position, length));
            position += length;

            string text;
            if (_toUnicode is not null && _toUnicode.TryGet(code, out var mapped))
            {
                text = mapped;
            }
            else if (!IsComposite && _simple is not null)
            {
                text = _simple[code] ?? string.Empty;
            }
            else
            {
                text = string.Empty; // a composite code without a map has no knowable meaning
            }

            var width = _widths.TryGetValue(code, out var w) ? w : _defaultWidth;
            yield return (text, width, !IsComposite && code == 32);
        }
    }

    private void ReadCompositeWidths(PdfDocument document, List<object?> w)
    {
        // [ c [w1 w2 …] ] or [ cfirst clast w ].
        for (var i = 0; i < w.Count;)
        {
            var first = (uint)document.Integer(w[i], 0);
            if (i + 1 < w.Count && document.Resolve(w[i + 1]) is List<object?> list)
            {
                for (var j = 0; j < list.Count && j < 65536; j++)
                {
                    _widths[first + (uint)j] = document.Number(list[j], _defaultWidth);
                }

                i += 2;
            }
            else if (i + 2 < w.Count)
            {
                var last = (uint)document.Integer(w[i + 1], 0);
                var width = document.Number(w[i + 2], _defaultWidth);
                for (var code = first; code <= last && code - first < 65536; code++)
                {
                    _widths[code] = width;
                }

                i += 3;
            }
            else
            {
                break;
            }
        }
    }

    private static PdfCMap? TryParse(PdfDocument document, PdfStream stream)
    {
        try
        {
            return PdfCMap.Parse(document.StreamData(stream));
        }
        catch (PdfFormatException)
        {
            return null;
        }
    }

    private static string?[] SimpleEncoding(PdfDocument document, PdfDictionary font)
    {
        var encoding = document.Resolve(font["Encoding"]);
        string?[] table;
        List<object?>? differences = null;
        switch (encoding)
        {
            case PdfName name:
                table = PdfEncodings.Base(name.Value);
                break;
            case PdfDictionary dictionary:
                table = document.Resolve(dictionary["BaseEncoding"]) is PdfName baseName
                    ? PdfEncodings.Base(baseName.Value)
                    : FontProgramEncoding(document, font) ?? PdfEncodings.Base(null);
                differences = document.Resolve(dictionary["Differences"]) as List<object?>;
                break;
            default:
                table = FontProgramEncoding(document, font) ?? PdfEncodings.Base(null);
                break;
        }

        if (differences is not null)
        {
            var code = 0;
            foreach (var item in differences)
            {
                switch (document.Resolve(item))
                {
                    case long number:
                        code = (int)number;
                        break;
                    case PdfName glyph when code is >= 0 and < 256:
                        table[code++] = PdfEncodings.GlyphToUnicode(glyph.Value);
                        break;
                }
            }
        }

        return table;
    }

    /// <summary>A Type 1 font program's own encoding ("dup 12 /fi put"), as pdfTeX's fonts carry it.</summary>
    private static string?[]? FontProgramEncoding(PdfDocument document, PdfDictionary font)
    {
        if (document.Resolve(font["FontDescriptor"]) is not PdfDictionary descriptor || document.Resolve(descriptor["FontFile"]) is not PdfStream program)
        {
            return null;
        }

        byte[] data;
        try
        {
            data = document.StreamData(program);
        }
        catch (PdfFormatException)
        {
            return null;
        }

        // The encoding is in the clear-text part, before eexec.
        var clearLength = document.Integer(program.Dictionary["Length1"], data.Length);
        var clear = Encoding.Latin1.GetString(data, 0, Math.Clamp(clearLength, 0, data.Length));
        if (clear.Contains("/Encoding StandardEncoding", StringComparison.Ordinal))
        {
            return PdfEncodings.Base(null);
        }

        var table = new string?[256];
        var found = false;
        foreach (Match match in EncodingEntry().Matches(clear))
        {
            if (int.TryParse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 0 and < 256)
            {
                table[code] = PdfEncodings.GlyphToUnicode(match.Groups[2].Value);
                found = true;
            }
        }

        return found ? table : null;
    }

    [GeneratedRegex(@"dup\s+(\d+)\s*/([^\s/\[\]{}()<>]+)\s+put")]
    private static partial Regex EncodingEntry();
}
