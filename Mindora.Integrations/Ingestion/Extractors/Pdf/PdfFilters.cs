using System.IO.Compression;

namespace Mindora.Integrations.Ingestion.Extractors.Pdf;

/// <summary>
/// Decodes stream data: FlateDecode (with PNG and TIFF predictors), ASCIIHexDecode and
/// ASCII85Decode. Decoded size is bounded, so a compressed bomb stops as corrupt input.
/// </summary>
internal static class PdfFilters
{
    public const long MaxDecodedBytes = 128L * 1024 * 1024;

    public static byte[] Decode(PdfDocument document, PdfStream stream)
    {
        var filters = document.Resolve(stream.Dictionary["Filter"]) switch
        {
            PdfName name => [name.Value],
            List<object?> list => list.Select(f => (document.Resolve(f) as PdfName)?.Value ?? string.Empty).ToList(),
            _ => new List<string>(),
        };
        var parameters = document.Resolve(stream.Dictionary["DecodeParms"]) switch
        {
            PdfDictionary single => [single],
            List<object?> list => list.Select(p => document.Resolve(p) as PdfDictionary).ToList(),
            _ => new List<PdfDictionary?>(),
        };

        var data = stream.Encoded.ToArray();
        for (var i = 0; i < filters.Count; i++)
        {
            var parameter = i < parameters.Count ? parameters[i] : null;
            data = filters[i] switch
            {
                "FlateDecode" or "Fl" => Predict(Inflate(data), parameter, document),
                "ASCIIHexDecode" or "AHx" => AsciiHex(data),
                "ASCII85Decode" or "A85" => Ascii85(data),
                _ => throw new PdfFormatException($"its streams use the {filters[i]} filter, which this reader does not decode"),
            };
        }

        return data;
    }

    private static byte[] Inflate(byte[] data)
    {
        using var input = new MemoryStream(data);
        using var output = new MemoryStream();
        try
        {
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            var buffer = new byte[81920];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxDecodedBytes)
                {
                    throw new PdfFormatException($"a stream expands to more than {MaxDecodedBytes / (1024 * 1024)} MiB");
                }
            }
        }
        catch (InvalidDataException)
        {
            // Truncated or slightly damaged streams: keep what inflated (viewers do the same).
        }

        return output.ToArray();
    }

    private static byte[] Predict(byte[] data, PdfDictionary? parameters, PdfDocument document)
    {
        var predictor = parameters is null ? 1 : document.Integer(parameters["Predictor"], 1);
        if (predictor < 10)
        {
            return data; // 1: none; 2 (TIFF) does not occur in text-bearing streams
        }

        var columns = document.Integer(parameters!["Columns"], 1);
        var colors = document.Integer(parameters["Colors"], 1);
        var bits = document.Integer(parameters["BitsPerComponent"], 8);
        var bytesPerPixel = Math.Max(1, colors * bits / 8);
        var rowLength = ((columns * colors * bits) + 7) / 8;
        var output = new List<byte>(data.Length);
        var previous = new byte[rowLength];
        for (var offset = 0; offset + 1 + rowLength <= data.Length; offset += rowLength + 1)
        {
            var type = data[offset];
            var row = data.AsSpan(offset + 1, rowLength).ToArray();
            for (var i = 0; i < rowLength; i++)
            {
                var left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                var up = previous[i];
                var upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                row[i] = type switch
                {
                    1 => (byte)(row[i] + left),
                    2 => (byte)(row[i] + up),
                    3 => (byte)(row[i] + ((left + up) / 2)),
                    4 => (byte)(row[i] + Paeth(left, up, upLeft)),
                    _ => row[i],
                };
            }

            output.AddRange(row);
            previous = row;
        }

        return output.ToArray();
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] AsciiHex(byte[] data)
    {
        var output = new List<byte>();
        var high = -1;
        foreach (var b in data)
        {
            if (b == '>')
            {
                break;
            }

            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
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
                output.Add((byte)((high << 4) | digit));
                high = -1;
            }
        }

        if (high >= 0)
        {
            output.Add((byte)(high << 4));
        }

        return output.ToArray();
    }

    private static byte[] Ascii85(byte[] data)
    {
        var output = new List<byte>();
        var group = new List<int>(5);
        foreach (var b in data)
        {
            if (b == '~')
            {
                break;
            }

            if (b == 'z' && group.Count == 0)
            {
                output.AddRange([0, 0, 0, 0]);
                continue;
            }

            if (b < '!' || b > 'u')
            {
                continue;
            }

            group.Add(b - '!');
            if (group.Count == 5)
            {
                Flush(group, 4);
                group.Clear();
            }
        }

        if (group.Count > 1)
        {
            var count = group.Count - 1;
            while (group.Count < 5)
            {
                group.Add(84);
            }

            Flush(group, count);
        }

        return output.ToArray();

        void Flush(List<int> digits, int count)
        {
            long value = 0;
            foreach (var digit in digits)
            {
                value = (value * 85) + digit;
            }

            for (var i = 0; i < count; i++)
            {
                output.Add((byte)(value >> (24 - (8 * i))));
            }
        }
    }
}
