using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>
/// Reads PDF objects from bytes: numbers, names, strings (literal with escapes, hex), arrays,
/// dictionaries, references (<c>n g R</c>), booleans, null and — in content streams — operators.
/// </summary>
internal sealed class PdfLexer(ReadOnlyMemory<byte> data, int position = 0)
{
    private const int MaxDepth = 64;

    public int Position { get; set; } = position;

    public bool AtEnd
    {
        get
        {
            SkipWhitespace();
            return Position >= data.Length;
        }
    }

    private ReadOnlySpan<byte> Span => data.Span;

    public static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    public void SkipWhitespace()
    {
        var span = Span;
        while (Position < span.Length)
        {
            if (IsWhitespace(span[Position]))
            {
                Position++;
            }
            else if (span[Position] == '%')
            {
                while (Position < span.Length && span[Position] is not (byte)'\n' and not (byte)'\r')
                {
                    Position++;
                }
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>Reads the next object; in content streams, bare words come back as operators.</summary>
    public object? ReadObject(int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new PdfFormatException("objects are nested too deeply");
        }

        SkipWhitespace();
        var span = Span;
        if (Position >= span.Length)
        {
            throw new PdfFormatException("unexpected end of data");
        }

        var b = span[Position];
        switch (b)
        {
            case (byte)'/':
                return new PdfName(ReadName());
            case (byte)'(':
                return new PdfString(ReadLiteralString());
            case (byte)'<' when Position + 1 < span.Length && span[Position + 1] == '<':
                return ReadDictionary(depth);
            case (byte)'<':
                return new PdfString(ReadHexString());
            case (byte)'[':
                return ReadArray(depth);
            case (byte)']' or (byte)'>' or (byte)')' or (byte)'{' or (byte)'}':
                Position++;
                return new PdfOperator(((char)b).ToString());
        }

        if (b is (byte)'+' or (byte)'-' or (byte)'.' || (b >= '0' && b <= '9'))
        {
            var number = ReadNumber();
            // "n g R" is a reference: look ahead without consuming when it is not.
            if (number is long objectNumber && objectNumber >= 0)
            {
                var save = Position;
                SkipWhitespace();
                if (Position < span.Length && span[Position] >= '0' && span[Position] <= '9' && ReadNumber() is long generation)
                {
                    SkipWhitespace();
                    if (Position < span.Length && span[Position] == 'R' && (Position + 1 >= span.Length || IsWhitespace(span[Position + 1]) || IsDelimiter(span[Position + 1])))
                    {
                        Position++;
                        return new PdfReference((int)objectNumber, (int)generation);
                    }
                }

                Position = save;
            }

            return number;
        }

        var word = ReadWord();
        return word switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            _ => new PdfOperator(word),
        };
    }

    public string ReadWord()
    {
        SkipWhitespace();
        var span = Span;
        var start = Position;
        while (Position < span.Length && !IsWhitespace(span[Position]) && !IsDelimiter(span[Position]))
        {
            Position++;
        }

        if (Position == start)
        {
            Position++; // an unexpected delimiter: step over it so readers always advance
            return Encoding.Latin1.GetString(span.Slice(start, 1));
        }

        return Encoding.Latin1.GetString(span[start..Position]);
    }

    private object ReadNumber()
    {
        var span = Span;
        var start = Position;
        while (Position < span.Length && (span[Position] is (byte)'+' or (byte)'-' or (byte)'.' || (span[Position] >= '0' && span[Position] <= '9')))
        {
            Position++;
        }

        var text = Encoding.Latin1.GetString(span[start..Position]);
        if (!text.Contains('.', StringComparison.Ordinal) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        // Producers write odd numbers ("--5", "5-"); read what parses, else zero.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real : 0d;
    }

    private string ReadName()
    {
        var span = Span;
        Position++;
        var bytes = new List<byte>();
        while (Position < span.Length && !IsWhitespace(span[Position]) && !IsDelimiter(span[Position]))
        {
            if (span[Position] == '#' && Position + 2 < span.Length && byte.TryParse(Encoding.Latin1.GetString(span.Slice(Position + 1, 2)), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var escaped))
            {
                bytes.Add(escaped);
                Position += 3;
            }
            else
            {
                bytes.Add(span[Position++]);
            }
        }

        return Encoding.Latin1.GetString(bytes.ToArray());
    }

    private byte[] ReadLiteralString()
    {
        var span = Span;
        Position++;
        var bytes = new List<byte>();
        var depth = 1;
        while (Position < span.Length)
        {
            var c = span[Position++];
            if (c == '\\' && Position < span.Length)
            {
                var e = span[Position++];
                switch (e)
                {
                    case (byte)'n': bytes.Add(10); break;
                    case (byte)'r': bytes.Add(13); break;
                    case (byte)'t': bytes.Add(9); break;
                    case (byte)'b': bytes.Add(8); break;
                    case (byte)'f': bytes.Add(12); break;
                    case (byte)'\r':
                        if (Position < span.Length && span[Position] == '\n')
                        {
                            Position++;
                        }

                        break;
                    case (byte)'\n':
                        break;
                    case >= (byte)'0' and <= (byte)'7':
                        var value = e - '0';
                        for (var i = 0; i < 2 && Position < span.Length && span[Position] >= '0' && span[Position] <= '7'; i++)
                        {
                            value = (value * 8) + (span[Position++] - '0');
                        }

                        bytes.Add((byte)value);
                        break;
                    default:
                        bytes.Add(e);
                        break;
                }
            }
            else if (c == '(')
            {
                depth++;
                bytes.Add(c);
            }
            else if (c == ')')
            {
                if (--depth == 0)
                {
                    break;
                }

                bytes.Add(c);
            }
            else
            {
                bytes.Add(c);
            }
        }

        return bytes.ToArray();
    }

    private byte[] ReadHexString()
    {
        var span = Span;
        Position++;
        var bytes = new List<byte>();
        var high = -1;
        while (Position < span.Length && span[Position] != '>')
        {
            var digit = HexValue(span[Position++]);
            if (digit < 0)
            {
                continue;
            }

            if (high < 0)
            {
                high = digit;
            }
            else
            {
                bytes.Add((byte)((high << 4) | digit));
                high = -1;
            }
        }

        Position++;
        if (high >= 0)
        {
            bytes.Add((byte)(high << 4));
        }

        return bytes.ToArray();
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private List<object?> ReadArray(int depth)
    {
        Position++;
        var items = new List<object?>();
        while (true)
        {
            SkipWhitespace();
            if (Position >= Span.Length)
            {
                throw new PdfFormatException("unterminated array");
            }

            if (Span[Position] == ']')
            {
                Position++;
                return items;
            }

            items.Add(ReadObject(depth + 1));
        }
    }

    private PdfDictionary ReadDictionary(int depth)
    {
        Position += 2;
        var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipWhitespace();
            if (Position + 1 >= Span.Length)
            {
                throw new PdfFormatException("unterminated dictionary");
            }

            if (Span[Position] == '>' && Span[Position + 1] == '>')
            {
                Position += 2;
                return new PdfDictionary(entries);
            }

            if (ReadObject(depth + 1) is not PdfName key)
            {
                continue; // tolerate junk between entries
            }

            SkipWhitespace();
            if (Position + 1 < Span.Length && Span[Position] == '>' && Span[Position + 1] == '>')
            {
                entries[key.Value] = null;
                continue;
            }

            entries[key.Value] = ReadObject(depth + 1);
        }
    }
}
