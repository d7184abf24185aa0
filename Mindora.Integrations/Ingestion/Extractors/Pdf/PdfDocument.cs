using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>
/// A parsed PDF file: its cross-reference (classic tables and PDF 1.5 xref streams, following
/// /Prev), its trailer, and objects resolved on demand — including those packed in object
/// streams. When the cross-reference is damaged, the file is scanned for "n g obj" instead.
/// </summary>
internal sealed class PdfDocument
{
    private const int MaxObjectStreamObjects = 100_000;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly Dictionary<int, long> _offsets = [];
    private readonly Dictionary<int, (int Stream, int Index)> _compressed = [];
    private readonly Dictionary<int, object?> _cache = [];
    private readonly HashSet<int> _resolving = [];

    private PdfDocument(ReadOnlyMemory<byte> data)
    {
        _data = data;
        Trailer = new PdfDictionary([]);
    }

    public PdfDictionary Trailer { get; private set; }

    public static PdfDocument Open(byte[] data)
    {
        if (data.Length < 8 || Encoding.ASCII.GetString(data, 0, Math.Min(1024, data.Length)).IndexOf("%PDF-", StringComparison.Ordinal) < 0)
        {
            throw new PdfFormatException("it does not start with a PDF header");
        }

        var document = new PdfDocument(data);
        if (!document.TryReadCrossReference())
        {
            document.ScanForObjects();
        }

        if (document.Trailer.Contains("Encrypt"))
        {
            throw new PdfFormatException("it is encrypted (password-protected); remove the password and upload it again");
        }

        if (document.Resolve(document.Trailer["Root"]) is not PdfDictionary)
        {
            throw new PdfFormatException("it has no document catalog (/Root)");
        }

        return document;
    }

    public object? Resolve(object? value)
    {
        for (var hops = 0; value is PdfReference reference && hops < 32; hops++)
        {
            value = Load(reference.Number);
        }

        return value;
    }

    public int Integer(object? value, int fallback) => Resolve(value) switch
    {
        long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
        double d => (int)d,
        _ => fallback,
    };

    public double Number(object? value, double fallback = 0) => Resolve(value) switch
    {
        long l => l,
        double d => d,
        _ => fallback,
    };

    public byte[] StreamData(PdfStream stream) => PdfFilters.Decode(this, stream);

    private object? Load(int number)
    {
        if (_cache.TryGetValue(number, out var cached))
        {
            return cached;
        }

        if (!_resolving.Add(number))
        {
            return null; // a reference cycle
        }

        try
        {
            object? value = null;
            if (_offsets.TryGetValue(number, out var offset))
            {
                value = ReadIndirectAt(offset).Value;
            }
            else if (_compressed.TryGetValue(number, out var packed))
            {
                value = ReadFromObjectStream(packed.Stream, packed.Index);
            }

            _cache[number] = value;
            return value;
        }
        catch (PdfFormatException)
        {
            _cache[number] = null;
            return null;
        }
        finally
        {
            _resolving.Remove(number);
        }
    }

    private (int Number, object? Value) ReadIndirectAt(long offset)
    {
        var lexer = new PdfLexer(_data, (int)offset);
        var number = lexer.ReadObject() is long n ? (int)n : throw new PdfFormatException($"no object at offset {offset}");
        lexer.ReadObject(); // generation
        if (lexer.ReadWord() != "obj")
        {
            throw new PdfFormatException($"no object at offset {offset}");
        }

        var value = lexer.ReadObject();
        lexer.SkipWhitespace();
        if (value is PdfDictionary dictionary && StartsWith(lexer.Position, "stream"))
        {
            value = ReadStreamBody(dictionary, lexer.Position + "stream".Length);
        }

        return (number, value);
    }

    private PdfStream ReadStreamBody(PdfDictionary dictionary, int afterKeyword)
    {
        var span = _data.Span;
        var start = afterKeyword;
        if (start < span.Length && span[start] == '\r')
        {
            start++;
        }

        if (start < span.Length && span[start] == '\n')
        {
            start++;
        }

        // /Length may be an indirect object, missing or wrong: check it lands on "endstream".
        var length = Resolve(dictionary["Length"]) switch
        {
            long l => l,
            double d => (long)d,
            _ => -1,
        };
        if (length < 0 || start + length > span.Length || !EndStreamNear(start + (int)length))
        {
            var end = span[start..].IndexOf("endstream"u8);
            length = end < 0 ? span.Length - start : end;
            while (length > 0 && span[start + (int)length - 1] is (byte)'\n' or (byte)'\r')
            {
                length--;
            }
        }

        return new PdfStream(dictionary, _data.Slice(start, (int)length));
    }

    private bool EndStreamNear(int position)
    {
        var lexer = new PdfLexer(_data, position);
        lexer.SkipWhitespace();
        return StartsWith(lexer.Position, "endstream");
    }

    private object? ReadFromObjectStream(int streamNumber, int index)
    {
        if (Load(streamNumber) is not PdfStream stream)
        {
            return null;
        }

        var data = StreamData(stream);
        var count = Math.Min(Integer(stream.Dictionary["N"], 0), MaxObjectStreamObjects);
        var first = Integer(stream.Dictionary["First"], 0);
        var header = new PdfLexer(data);
        var offsets = new List<int>();
        for (var i = 0; i < count; i++)
        {
            header.ReadObject();
            offsets.Add(header.ReadObject() is long o ? (int)o : 0);
        }

        return index < offsets.Count ? new PdfLexer(data, first + offsets[index]).ReadObject() : null;
    }

    private bool TryReadCrossReference()
    {
        try
        {
            var span = _data.Span;
            var tail = span[Math.Max(0, span.Length - 2048)..];
            var at = tail.LastIndexOf("startxref"u8);
            if (at < 0)
            {
                return false;
            }

            var lexer = new PdfLexer(_data, span.Length - tail.Length + at + "startxref".Length);
            var offset = lexer.ReadObject() is long o ? o : -1;
            var visited = new HashSet<long>();
            PdfDictionary? newest = null;
            while (offset > 0 && offset < span.Length && visited.Add(offset))
            {
                var trailer = StartsWith((int)offset, "xref") ? ReadXrefTable((int)offset) : ReadXrefStream((int)offset);
                newest ??= trailer;
                offset = trailer["Prev"] is long prev ? prev : -1;
            }

            if (newest is null || _offsets.Count + _compressed.Count == 0)
            {
                return false;
            }

            Trailer = newest;
            return true;
        }
        catch (PdfFormatException)
        {
            _offsets.Clear();
            _compressed.Clear();
            return false;
        }
    }

    private PdfDictionary ReadXrefTable(int offset)
    {
        var lexer = new PdfLexer(_data, offset + "xref".Length);
        while (true)
        {
            lexer.SkipWhitespace();
            if (StartsWith(lexer.Position, "trailer"))
            {
                lexer.Position += "trailer".Length;
                return lexer.ReadObject() as PdfDictionary ?? throw new PdfFormatException("the trailer is not a dictionary");
            }

            var first = lexer.ReadObject() is long f ? (int)f : throw new PdfFormatException("a damaged xref table");
            var count = lexer.ReadObject() is long c ? (int)c : throw new PdfFormatException("a damaged xref table");
            for (var i = 0; i < count; i++)
            {
                var entryOffset = lexer.ReadObject() is long e ? e : 0;
                lexer.ReadObject();
                var kind = lexer.ReadWord();
                // Newer sections were read first: keep what they said.
                if (kind == "n" && entryOffset > 0)
                {
                    _offsets.TryAdd(first + i, entryOffset);
                }
            }
        }
    }

    private PdfDictionary ReadXrefStream(int offset)
    {
        var (_, value) = ReadIndirectAt(offset);
        if (value is not PdfStream stream)
        {
            throw new PdfFormatException("startxref points at neither an xref table nor an xref stream");
        }

        var data = StreamData(stream);
        var widths = (Resolve(stream.Dictionary["W"]) as List<object?>)?.Select(w => Integer(w, 0)).ToArray() ?? throw new PdfFormatException("an xref stream without /W");
        var index = (Resolve(stream.Dictionary["Index"]) as List<object?>)?.Select(i => Integer(i, 0)).ToArray() ?? [0, Integer(stream.Dictionary["Size"], 0)];
        var rowLength = widths.Sum();
        var position = 0;
        for (var section = 0; section + 1 < index.Length; section += 2)
        {
            for (var i = 0; i < index[section + 1] && position + rowLength <= data.Length; i++, position += rowLength)
            {
                var type = widths[0] == 0 ? 1 : Field(data, position, widths[0]);
                var second = Field(data, position + widths[0], widths[1]);
                var third = Field(data, position + widths[0] + widths[1], widths[2]);
                var number = index[section] + i;
                if (type == 1 && second > 0)
                {
                    _offsets.TryAdd(number, second);
                }
                else if (type == 2)
                {
                    _compressed.TryAdd(number, ((int)second, (int)third));
                }
            }
        }

        return stream.Dictionary;
    }

    private static long Field(byte[] data, int position, int width)
    {
        long value = 0;
        for (var i = 0; i < width; i++)
        {
            value = (value << 8) | data[position + i];
        }

        return value;
    }

    private void ScanForObjects()
    {
        var text = Encoding.Latin1.GetString(_data.Span);
        var at = 0;
        while ((at = text.IndexOf(" obj", at, StringComparison.Ordinal)) >= 0)
        {
            var start = at;
            while (start > 0 && (char.IsDigit(text[start - 1]) || text[start - 1] == ' '))
            {
                start--;
            }

            var parts = text[start..at].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                _offsets[number] = start;
            }

            at += 4;
        }

        var trailerAt = text.LastIndexOf("trailer", StringComparison.Ordinal);
        if (trailerAt >= 0 && new PdfLexer(_data, trailerAt + "trailer".Length).ReadObject() is PdfDictionary trailer)
        {
            Trailer = trailer;
            return;
        }

        // No trailer: the catalog is the object whose /Type is /Catalog.
        foreach (var number in _offsets.Keys.ToList())
        {
            if (Load(number) is PdfDictionary { } candidate && Resolve(candidate["Type"]) is PdfName { Value: "Catalog" })
            {
                Trailer = new PdfDictionary(new Dictionary<string, object?> { ["Root"] = new PdfReference(number, 0) });
                return;
            }
        }

        throw new PdfFormatException("it has neither a cross-reference table nor a document catalog");
    }

    private bool StartsWith(int position, string keyword)
    {
        var span = _data.Span;
        return position + keyword.Length <= span.Length && span.Slice(position, keyword.Length).SequenceEqual(Encoding.ASCII.GetBytes(keyword));
    }
}
