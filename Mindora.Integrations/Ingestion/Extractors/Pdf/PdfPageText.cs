using System.Text;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>
/// Runs a page's content streams for their text: tracks the text matrix, font and spacing, and
/// turns positions into reading text — a space where a gap between glyphs is wider than about a
/// quarter of the font size, a line break where the baseline moves. Form XObjects are followed.
/// </summary>
internal sealed class PdfPageText(PdfDocument document)
{
    private const int MaxFormDepth = 8;
    private const int MaxOperations = 2_000_000;
    private readonly StringBuilder _text = new();
    private readonly Dictionary<PdfDictionary, PdfFont> _fonts = new(ReferenceEqualityComparer.Instance);
    private int _operations;

    // Text state.
    private Matrix _textMatrix = Matrix.Identity;
    private Matrix _lineMatrix = Matrix.Identity;
    private PdfFont? _font;
    private double _fontSize = 1;
    private double _charSpacing;
    private double _wordSpacing;
    private double _horizontalScale = 1;
    private double _leading;

    // Where the last glyph ended, in text-matrix space, to decide between nothing, a space and a new line.
    private double? _lastX;
    private double? _lastY;

    public string Read(PdfDictionary page, PdfDictionary? resources)
    {
        foreach (var content in Contents(page))
        {
            Run(document.StreamData(content), resources, 0);
        }

        return _text.ToString();
    }

    private IEnumerable<PdfStream> Contents(PdfDictionary page) => document.Resolve(page["Contents"]) switch
    {
        PdfStream single => [single],
        List<object?> list => list.Select(document.Resolve).OfType<PdfStream>(),
        _ => [],
    };

    private void Run(byte[] content, PdfDictionary? resources, int depth)
    {
        var lexer = new PdfLexer(content);
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
                break; // a damaged content stream: keep the text read so far
            }

            if (token is not PdfOperator op)
            {
                operands.Add(token);
                continue;
            }

            if (++_operations > MaxOperations)
            {
                throw new PdfFormatException("its pages hold more operations than this reader follows");
            }

            if (op.Name == "BI")
            {
                SkipInlineImage(lexer);
            }
            else
            {
                Apply(op.Name, operands, resources, depth);
            }

            operands.Clear();
        }
    }

    private void Apply(string op, List<object?> operands, PdfDictionary? resources, int depth)
    {
        switch (op)
        {
            case "BT":
                _textMatrix = _lineMatrix = Matrix.Identity;
                break;
            case "Tf" when operands.Count >= 2:
                _font = FontNamed(resources, (operands[0] as PdfName)?.Value);
                _fontSize = Number(operands[1], 1);
                break;
            case "Tc" when operands.Count >= 1:
                _charSpacing = Number(operands[0]);
                break;
            case "Tw" when operands.Count >= 1:
                _wordSpacing = Number(operands[0]);
                break;
            case "Tz" when operands.Count >= 1:
                _horizontalScale = Number(operands[0], 100) / 100;
                break;
            case "TL" when operands.Count >= 1:
                _leading = Number(operands[0]);
                break;
            case "Td" when operands.Count >= 2:
                MoveLine(Number(operands[0]), Number(operands[1]));
                break;
            case "TD" when operands.Count >= 2:
                _leading = -Number(operands[1]);
                MoveLine(Number(operands[0]), Number(operands[1]));
                break;
            case "Tm" when operands.Count >= 6:
                _textMatrix = _lineMatrix = new Matrix(Number(operands[0]), Number(operands[1]), Number(operands[2]), Number(operands[3]), Number(operands[4]), Number(operands[5]));
                break;
            case "T*":
                MoveLine(0, -_leading);
                break;
            case "Tj" when operands.Count >= 1 && operands[0] is PdfString shown:
                Show(shown.Bytes);
                break;
            case "'" when operands.Count >= 1 && operands[0] is PdfString quoted:
                MoveLine(0, -_leading);
                Show(quoted.Bytes);
                break;
            case "\"" when operands.Count >= 3 && operands[2] is PdfString doubleQuoted:
                _wordSpacing = Number(operands[0]);
                _charSpacing = Number(operands[1]);
                MoveLine(0, -_leading);
                Show(doubleQuoted.Bytes);
                break;
            case "TJ" when operands.Count >= 1 && operands[0] is List<object?> array:
                foreach (var item in array)
                {
                    if (item is PdfString part)
                    {
                        Show(part.Bytes);
                    }
                    else
                    {
                        // A number moves the next glyph left (positive) or right (negative), in thousandths of the font size.
                        Advance(-Number(item) / 1000 * _fontSize * _horizontalScale);
                    }
                }

                break;
            case "Do" when operands.Count >= 1 && depth < MaxFormDepth:
                RunForm(resources, (operands[0] as PdfName)?.Value, depth);
                break;
        }
    }

    private void MoveLine(double tx, double ty)
    {
        _lineMatrix = Matrix.Translation(tx, ty).Times(_lineMatrix);
        _textMatrix = _lineMatrix;
    }

    private void Advance(double tx) => _textMatrix = Matrix.Translation(tx, 0).Times(_textMatrix);

    private void Show(byte[] bytes)
    {
        if (_font is null)
        {
            return;
        }

        foreach (var (glyph, width, isSpace) in _font.Glyphs(bytes))
        {
            PlaceBreak();
            _text.Append(glyph);
            var advance = ((width / 1000 * _fontSize) + _charSpacing + (isSpace ? _wordSpacing : 0)) * _horizontalScale;
            Advance(advance);
            _lastX = _textMatrix.E;
            _lastY = _textMatrix.F;
            if (glyph == " ")
            {
                _lastX = null; // a real space: no gap test needed before the next glyph
            }
        }
    }

    /// <summary>Before a glyph: a new line when the baseline moved, a space when there is a word-sized gap.</summary>
    private void PlaceBreak()
    {
        var size = Math.Abs(_fontSize * _textMatrix.VerticalScale);
        if (size <= 0)
        {
            size = 1;
        }

        var x = _textMatrix.E;
        var y = _textMatrix.F;
        if (_lastY is { } lastY && Math.Abs(y - lastY) > size * 0.5)
        {
            TrimTrailingSpaces();
            _text.Append('\n');
        }
        else if (_lastX is { } lastX && (x - lastX > size * 0.2 || lastX - x > size * 2))
        {
            if (_text.Length > 0 && _text[^1] is not ' ' and not '\n')
            {
                _text.Append(' ');
            }
        }
        else if (_lastY is null && _text.Length > 0 && _text[^1] != '\n')
        {
            _text.Append('\n'); // the first glyph after a form or a new text object at an unknown place
        }

        _lastY ??= y;
    }

    private void TrimTrailingSpaces()
    {
        while (_text.Length > 0 && _text[^1] == ' ')
        {
            _text.Length--;
        }
    }

    private PdfFont? FontNamed(PdfDictionary? resources, string? name)
    {
        if (name is null || document.Resolve(resources?["Font"]) is not PdfDictionary fonts || document.Resolve(fonts[name]) is not PdfDictionary font)
        {
            return null;
        }

        if (!_fonts.TryGetValue(font, out var loaded))
        {
            loaded = PdfFont.Load(document, font);
            _fonts[font] = loaded;
        }

        return loaded;
    }

    private void RunForm(PdfDictionary? resources, string? name, int depth)
    {
        if (name is null || document.Resolve(resources?["XObject"]) is not PdfDictionary xobjects
            || document.Resolve(xobjects[name]) is not PdfStream form || document.Resolve(form.Dictionary["Subtype"]) is not PdfName { Value: "Form" })
        {
            return;
        }

        var saved = (_textMatrix, _lineMatrix);
        _lastX = _lastY = null;
        Run(document.StreamData(form), document.Resolve(form.Dictionary["Resources"]) as PdfDictionary ?? resources, depth + 1);
        (_textMatrix, _lineMatrix) = saved;
        _lastX = _lastY = null;
    }

    private static void SkipInlineImage(PdfLexer lexer)
    {
        // BI … ID <binary> EI: the binary part can hold anything, so look for "EI" between whitespace.
        while (!lexer.AtEnd && lexer.ReadObject() is not PdfOperator { Name: "ID" })
        {
        }

        lexer.SkipWhitespace();
        var start = lexer.Position;
        lexer.Position = start;
        while (!lexer.AtEnd)
        {
            if (lexer.ReadObject() is PdfOperator { Name: "EI" })
            {
                return;
            }
        }
    }

    private double Number(object? value, double fallback = 0) => document.Number(value, fallback);

    private readonly record struct Matrix(double A, double B, double C, double D, double E, double F)
    {
        public static Matrix Identity => new(1, 0, 0, 1, 0, 0);

        public double VerticalScale => Math.Sqrt((C * C) + (D * D));

        public static Matrix Translation(double x, double y) => new(1, 0, 0, 1, x, y);

        public Matrix Times(Matrix m) => new(
            (A * m.A) + (B * m.C),
            (A * m.B) + (B * m.D),
            (C * m.A) + (D * m.C),
            (C * m.B) + (D * m.D),
            (E * m.A) + (F * m.C) + m.E,
            (E * m.B) + (F * m.D) + m.F);
    }
}
