using System.Buffers;
using System.Buffers.Text;

namespace Mindora.Integrations.Redis;

/// <summary>
/// Parses RESP2 and RESP3 replies from a byte sequence. <see cref="TryRead"/> consumes nothing
/// until a whole reply is there, so the read loop can simply wait for more bytes.
/// </summary>
internal static class RespParser
{
    /// <summary>Redis's own default limit (proto-max-bulk-len).</summary>
    public const long MaxBulkLength = 512L * 1024 * 1024;

    private const int MaxLineLength = 64 * 1024;
    private const int MaxDepth = 64;
    private const int MaxElements = 16 * 1024 * 1024;

    /// <summary>Reads one whole reply from <paramref name="buffer"/> and slices it off; false when more bytes are needed.</summary>
    /// <exception cref="RespProtocolException">The bytes are not RESP.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out RespValue value)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!TryReadValue(ref reader, 0, out value))
        {
            return false;
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool TryReadValue(ref SequenceReader<byte> reader, int depth, out RespValue value)
    {
        value = RespValue.Null;
        if (depth > MaxDepth)
        {
            throw new RespProtocolException("Reply nested too deeply.");
        }

        if (!reader.TryRead(out var type) || !TryReadLine(ref reader, out var line))
        {
            return false;
        }

        switch (type)
        {
            case (byte)'+':
                value = RespValue.Simple(line.ToArray());
                return true;
            case (byte)'-':
                value = RespValue.Error(line.ToArray());
                return true;
            case (byte)':':
                value = RespValue.Integer(ParseInteger(line));
                return true;
            case (byte)'_':
                return true;
            case (byte)'#':
                value = line.Length == 1 && line[0] is (byte)'t' or (byte)'f' ? RespValue.Boolean(line[0] == (byte)'t') : throw new RespProtocolException("Malformed boolean.");
                return true;
            case (byte)',':
                value = RespValue.Double(ParseDouble(line));
                return true;
            case (byte)'(':
                value = RespValue.BigNumber(line.ToArray());
                return true;
            case (byte)'$' or (byte)'!' or (byte)'=':
                return TryReadBulk(ref reader, type, ParseInteger(line), out value);
            case (byte)'*' or (byte)'~' or (byte)'>':
                return TryReadAggregate(ref reader, depth, type switch { (byte)'*' => RespKind.Array, (byte)'~' => RespKind.Set, _ => RespKind.Push }, ParseInteger(line), 1, out value);
            case (byte)'%':
                return TryReadAggregate(ref reader, depth, RespKind.Map, ParseInteger(line), 2, out value);
            case (byte)'|':
                // Attributes carry metadata we do not use: read and drop them, then the reply itself.
                return TryReadAggregate(ref reader, depth, RespKind.Map, ParseInteger(line), 2, out _)
                    && TryReadValue(ref reader, depth + 1, out value);
            default:
                throw new RespProtocolException($"Unknown reply type byte 0x{type:X2}.");
        }
    }

    private static bool TryReadBulk(ref SequenceReader<byte> reader, byte type, long length, out RespValue value)
    {
        value = RespValue.Null;
        if (length == -1 && type == (byte)'$')
        {
            return true;
        }

        if (length < 0 || length > MaxBulkLength)
        {
            throw new RespProtocolException($"Bulk length {length} is out of range.");
        }

        if (reader.Remaining < length + 2)
        {
            return false;
        }

        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new RespProtocolException("Bulk string is not terminated by CRLF.");
        }

        value = type switch
        {
            (byte)'!' => RespValue.Error(bytes),
            // Verbatim strings start with a three-letter format and ':'.
            (byte)'=' => RespValue.Bulk(bytes.Length >= 4 && bytes[3] == (byte)':' ? bytes[4..] : bytes),
            _ => RespValue.Bulk(bytes),
        };
        return true;
    }

    private static bool TryReadAggregate(ref SequenceReader<byte> reader, int depth, RespKind kind, long count, int itemsPerEntry, out RespValue value)
    {
        value = RespValue.Null;
        if (count == -1 && kind == RespKind.Array)
        {
            return true;
        }

        if (count < 0 || count * itemsPerEntry > MaxElements)
        {
            throw new RespProtocolException($"Aggregate length {count} is out of range.");
        }

        var items = new RespValue[count * itemsPerEntry];
        for (var i = 0; i < items.Length; i++)
        {
            if (!TryReadValue(ref reader, depth + 1, out items[i]))
            {
                return false;
            }
        }

        value = RespValue.Aggregate(kind, items);
        return true;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        if (reader.TryReadTo(out line, "\r\n"u8, advancePastDelimiter: true))
        {
            return true;
        }

        if (reader.Remaining > MaxLineLength)
        {
            throw new RespProtocolException("Reply line is longer than 64 KiB.");
        }

        return false;
    }

    private static long ParseInteger(ReadOnlySpan<byte> line) =>
        Utf8Parser.TryParse(line, out long number, out var consumed) && consumed == line.Length
            ? number
            : throw new RespProtocolException("Malformed integer.");

    private static double ParseDouble(ReadOnlySpan<byte> line)
    {
        if (line.SequenceEqual("inf"u8))
        {
            return double.PositiveInfinity;
        }

        if (line.SequenceEqual("-inf"u8))
        {
            return double.NegativeInfinity;
        }

        if (line.SequenceEqual("nan"u8))
        {
            return double.NaN;
        }

        return Utf8Parser.TryParse(line, out double number, out var consumed) && consumed == line.Length
            ? number
            : throw new RespProtocolException("Malformed double.");
    }
}
