using System.Text;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>A ToUnicode CMap: character codes (1 to 4 bytes, by codespace) to Unicode text.</summary>
internal sealed class PdfCMap
{
    private const int MaxRangeSize = 65536;
    private readonly Dictionary<uint, string> _map = [];
    private readonly List<(int Length, uint Low, uint High)> _codespaces = [];

    public int MaxCodeLength => _codespaces.Count == 0 ? (_map.Keys.Any(k => k > 0xFF) ? 2 : 1) : _codespaces.Max(c => c.Length);

    public bool TryGet(uint code, out string text) => _map.TryGetValue(code, out text!);

    /// <summary>The byte length of the code starting at <paramref name="position"/>, by codespace ranges.</summary>
    public int CodeLength(ReadOnlySpan<byte> bytes, int position)
    {
        if (_codespaces.Count == 0)
        {
            return Math.Min(MaxCodeLength, bytes.Length - position);
        }

        foreach (var (length, low, high) in _codespaces.OrderBy(c => c.Length))
        {
            if (position + length <= bytes.Length)
            {
                var code = Code(bytes.Slice(position, length));
                if (code >= low && code <= high)
                {
                    return length;
                }
            }
        }

        return Math.Min(_codespaces.Min(c => c.Length), bytes.Length - position);
    }

    public static uint Code(ReadOnlySpan<byte> bytes)
    {
        uint code = 0;
        foreach (var b in bytes)
        {
            code = (code << 8) | b;
        }

        return code;
    }

    public static PdfCMap Parse(byte[] data)
    {
        var cmap = new PdfCMap();
        var lexer = new PdfLexer(data);
        var operands = new List<object?>();
        while (!lexer.AtEnd)
        {
            object? token;
            try
            {
                token = lexer.ReadObject();
            }
            catch (PdfFormatException)
            {
                break;
            }

            if (token is not PdfOperator op)
            {
                operands.Add(token);
                continue;
            }

            switch (op.Name)
            {
                case "endcodespacerange":
                    for (var i = 0; i + 1 < operands.Count; i += 2)
                    {
                        if (operands[i] is PdfString low && operands[i + 1] is PdfString high && low.Bytes.Length is > 0 and <= 4)
                        {
                            cmap._codespaces.Add((low.Bytes.Length, Code(low.Bytes), Code(high.Bytes)));
                        }
                    }

                    break;
                case "endbfchar":
                    for (var i = 0; i + 1 < operands.Count; i += 2)
                    {
                        if (operands[i] is PdfString source && source.Bytes.Length <= 4 && Destination(operands[i + 1]) is { } text)
                        {
                            cmap._map[Code(source.Bytes)] = text;
                        }
                    }

                    break;
                case "endbfrange":
                    for (var i = 0; i + 2 < operands.Count; i += 3)
                    {
                        if (operands[i] is not PdfString low || operands[i + 1] is not PdfString high || low.Bytes.Length > 4)
                        {
                            continue;
                        }

                        var first = Code(low.Bytes);
                        var last = Math.Min(Code(high.Bytes), first + MaxRangeSize);
                        if (operands[i + 2] is List<object?> list)
                        {
                            for (var code = first; code <= last && code - first < list.Count; code++)
                            {
                                if (Destination(list[(int)(code - first)]) is { } text)
                                {
                                    cmap._map[code] = text;
                                }
                            }
                        }
                        else if (operands[i + 2] is PdfString start && start.Bytes.Length >= 2)
                        {
                            // Consecutive codes map to consecutive values: the last UTF-16 unit counts up.
                            var units = Encoding.BigEndianUnicode.GetString(start.Bytes).ToCharArray();
                            for (var code = first; code <= last; code++)
                            {
                                cmap._map[code] = new string(units);
                                units[^1]++;
                            }
                        }
                    }

                    break;
            }

            if (op.Name.StartsWith("end", StringComparison.Ordinal) || op.Name.StartsWith("begin", StringComparison.Ordinal))
            {
                operands.Clear();
            }
        }

        return cmap;
    }

    private static string? Destination(object? value) => value switch
    {
        PdfString s when s.Bytes.Length >= 2 => Encoding.BigEndianUnicode.GetString(s.Bytes),
        PdfString s when s.Bytes.Length == 1 => ((char)s.Bytes[0]).ToString(),
        PdfName n => PdfEncodings.GlyphToUnicode(n.Value),
        _ => null,
    };
}
