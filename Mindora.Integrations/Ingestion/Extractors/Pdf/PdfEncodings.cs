using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>The simple fonts' built-in encodings, and glyph names to Unicode (for /Differences and Type 1 font programs).</summary>
internal static class PdfEncodings
{
    // 0x80–0x9F of WinAnsiEncoding (the rest is ASCII and Latin-1).
    private const string WinAnsiHigh = "€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ";

    // 0x80–0xFF of MacRomanEncoding.
    private const string MacRomanHigh =
        "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uF8FFÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

    private static readonly Dictionary<string, string> Names = BuildNames();

    /// <summary>The 256 characters of a named base encoding (Standard when unknown).</summary>
    public static string?[] Base(string? name)
    {
        var table = new string?[256];
        for (var code = 32; code < 127; code++)
        {
            table[code] = ((char)code).ToString();
        }

        switch (name)
        {
            case "WinAnsiEncoding":
                for (var code = 0x80; code <= 0xFF; code++)
                {
                    var c = code < 0xA0 ? WinAnsiHigh[code - 0x80] : (char)code;
                    table[code] = c == '\u0000' ? null : c.ToString();
                }

                break;
            case "MacRomanEncoding":
                for (var code = 0x80; code <= 0xFF; code++)
                {
                    table[code] = MacRomanHigh[code - 0x80].ToString();
                }

                break;
            default:
                // StandardEncoding: curly quotes where ASCII has straight ones.
                table[0x27] = "’";
                table[0x60] = "‘";
                break;
        }

        return table;
    }

    /// <summary>The Unicode text of a glyph name, or null when the name means nothing readable.</summary>
    public static string? GlyphToUnicode(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var baseName = dot > 0 ? name[..dot] : name;
        if (Names.TryGetValue(baseName, out var known))
        {
            return known;
        }

        if (baseName.StartsWith("uni", StringComparison.Ordinal) && baseName.Length >= 7 && baseName.Length % 4 == 3)
        {
            var text = new StringBuilder();
            for (var i = 3; i + 4 <= baseName.Length; i += 4)
            {
                if (!int.TryParse(baseName.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                {
                    return null;
                }

                text.Append((char)code);
            }

            return text.ToString();
        }

        if (baseName.Length is >= 5 and <= 7 && baseName[0] == 'u' && int.TryParse(baseName.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var scalar) && scalar <= 0x10FFFF)
        {
            return char.ConvertFromUtf32(scalar);
        }

        if (baseName.Length == 1)
        {
            return baseName;
        }

        // Accented Latin letters: "eacute" = e + combining acute.
        foreach (var (suffix, mark) in Accents)
        {
            if (baseName.Length == suffix.Length + 1 && baseName.EndsWith(suffix, StringComparison.Ordinal) && char.IsAsciiLetter(baseName[0]))
            {
                return (baseName[0] + mark).Normalize(NormalizationForm.FormC);
            }
        }

        return null;
    }

    private static readonly (string Suffix, string Mark)[] Accents =
    [
        ("acute", "\u0301"), ("grave", "\u0300"), ("circumflex", "\u0302"), ("dieresis", "\u0308"), ("tilde", "\u0303"),
        ("ring", "\u030A"), ("cedilla", "\u0327"), ("caron", "\u030C"), ("breve", "\u0306"), ("macron", "\u0304"),
        ("ogonek", "\u0328"), ("dotaccent", "\u0307"), ("hungarumlaut", "\u030B"),
    ];

    private static Dictionary<string, string> BuildNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        for (var i = 0; i < 10; i++)
        {
            names[digits[i]] = i.ToString(CultureInfo.InvariantCulture);
        }

        var pairs = new (string, string)[]
        {
            ("space", " "), ("exclam", "!"), ("quotedbl", "\""), ("numbersign", "#"), ("dollar", "$"), ("percent", "%"),
            ("ampersand", "&"), ("quoteright", "’"), ("quotesingle", "'"), ("parenleft", "("), ("parenright", ")"),
            ("asterisk", "*"), ("plus", "+"), ("comma", ","), ("hyphen", "-"), ("period", "."), ("slash", "/"),
            ("colon", ":"), ("semicolon", ";"), ("less", "<"), ("equal", "="), ("greater", ">"), ("question", "?"),
            ("at", "@"), ("bracketleft", "["), ("backslash", "\\"), ("bracketright", "]"), ("asciicircum", "^"),
            ("underscore", "_"), ("quoteleft", "‘"), ("grave", "`"), ("braceleft", "{"), ("bar", "|"), ("braceright", "}"),
            ("asciitilde", "~"), ("quotedblleft", "“"), ("quotedblright", "”"), ("quotesinglbase", "‚"), ("quotedblbase", "„"),
            ("endash", "–"), ("emdash", "—"), ("bullet", "•"), ("ellipsis", "…"), ("fi", "fi"), ("fl", "fl"), ("ff", "ff"),
            ("ffi", "ffi"), ("ffl", "ffl"), ("dotlessi", "ı"), ("dotlessj", "ȷ"), ("germandbls", "ß"), ("ae", "æ"), ("AE", "Æ"),
            ("oe", "œ"), ("OE", "Œ"), ("oslash", "ø"), ("Oslash", "Ø"), ("lslash", "ł"), ("Lslash", "Ł"), ("eth", "ð"),
            ("Eth", "Ð"), ("thorn", "þ"), ("Thorn", "Þ"), ("exclamdown", "¡"), ("questiondown", "¿"), ("section", "§"),
            ("paragraph", "¶"), ("copyright", "©"), ("registered", "®"), ("trademark", "™"), ("degree", "°"),
            ("dagger", "†"), ("daggerdbl", "‡"), ("guillemotleft", "«"), ("guillemotright", "»"), ("guilsinglleft", "‹"),
            ("guilsinglright", "›"), ("minus", "−"), ("multiply", "×"), ("divide", "÷"), ("plusminus", "±"), ("cent", "¢"),
            ("sterling", "£"), ("yen", "¥"), ("Euro", "€"), ("currency", "¤"), ("periodcentered", "·"), ("nbspace", "\u00A0"),
            ("circumflex", "ˆ"), ("tilde", "˜"), ("dieresis", "¨"), ("acute", "´"), ("cedilla", "¸"), ("ring", "˚"),
            ("caron", "ˇ"), ("breve", "˘"), ("macron", "¯"), ("dotaccent", "˙"), ("hungarumlaut", "˝"), ("ogonek", "˛"),
            ("perthousand", "‰"), ("florin", "ƒ"), ("fraction", "⁄"), ("onehalf", "½"), ("onequarter", "¼"),
            ("threequarters", "¾"), ("ordfeminine", "ª"), ("ordmasculine", "º"), ("mu", "µ"), ("logicalnot", "¬"),
            ("brokenbar", "¦"), ("onesuperior", "¹"), ("twosuperior", "²"), ("threesuperior", "³"), ("visiblespace", "␣"),
            ("arrowright", "→"), ("arrowleft", "←"),
        };
        foreach (var (name, text) in pairs)
        {
            names[name] = text;
        }

        return names;
    }
}
