using System.Buffers.Text;
using System.Text;

namespace Mindora.Integrations.Redis;

/// <summary>One argument of a command: text (sent as UTF-8), bytes or an integer.</summary>
internal readonly struct RedisArg
{
    private readonly string? _text;
    private readonly byte[]? _bytes;
    private readonly long _number;

    private RedisArg(string? text, byte[]? bytes, long number)
    {
        _text = text;
        _bytes = bytes;
        _number = number;
    }

    public static implicit operator RedisArg(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null, 0);

    public static implicit operator RedisArg(byte[] bytes) => new(null, bytes ?? throw new ArgumentNullException(nameof(bytes)), 0);

    public static implicit operator RedisArg(long number) => new(null, null, number);

    public static implicit operator RedisArg(int number) => new(null, null, number);

    public static RedisArg FromString(string text) => text;

    public static RedisArg FromBytes(byte[] bytes) => bytes;

    public static RedisArg FromInt64(long number) => number;

    /// <summary>The argument's length in bytes on the wire (without its header).</summary>
    internal int ByteCount => _text is not null ? Encoding.UTF8.GetByteCount(_text) : _bytes?.Length ?? DigitCount(_number);

    internal int Write(Span<byte> destination)
    {
        if (_text is not null)
        {
            return Encoding.UTF8.GetBytes(_text, destination);
        }

        if (_bytes is not null)
        {
            _bytes.CopyTo(destination);
            return _bytes.Length;
        }

        Utf8Formatter.TryFormat(_number, destination, out var written);
        return written;
    }

    internal static int DigitCount(long number)
    {
        if (number == long.MinValue)
        {
            return 20;
        }

        var count = number < 0 ? 2 : 1;
        for (var rest = Math.Abs(number); rest >= 10; rest /= 10)
        {
            count++;
        }

        return count;
    }
}

/// <summary>
/// A command encoded once, on the caller's thread, as a RESP array of bulk strings; the write
/// loop only copies the bytes. <see cref="Name"/> is what telemetry and errors show (never the arguments).
/// </summary>
internal sealed class RedisRequest
{
    private RedisRequest(string name, byte[] payload)
    {
        Name = name;
        Payload = payload;
    }

    public string Name { get; }

    public byte[] Payload { get; }

    /// <summary>Encodes <paramref name="command"/> (e.g. <c>GET</c>) followed by <paramref name="args"/>.</summary>
    public static RedisRequest Create(string command, params ReadOnlySpan<RedisArg> args)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var commandBytes = Encoding.UTF8.GetByteCount(command);
        Span<int> lengths = args.Length <= 32 ? stackalloc int[args.Length] : new int[args.Length];
        var total = Header(args.Length + 1) + Header(commandBytes) + commandBytes + 2;
        for (var i = 0; i < args.Length; i++)
        {
            lengths[i] = args[i].ByteCount;
            total += Header(lengths[i]) + lengths[i] + 2;
        }

        var payload = new byte[total];
        var span = payload.AsSpan();
        var at = WriteHeader(span, (byte)'*', args.Length + 1);
        at += WriteHeader(span[at..], (byte)'$', commandBytes);
        at += Encoding.UTF8.GetBytes(command, span[at..]);
        at += WriteCrlf(span[at..]);
        for (var i = 0; i < args.Length; i++)
        {
            at += WriteHeader(span[at..], (byte)'$', lengths[i]);
            at += args[i].Write(span[at..]);
            at += WriteCrlf(span[at..]);
        }

        return new RedisRequest(command.ToUpperInvariant(), payload);
    }

    // '*' or '$', the digits, CRLF.
    private static int Header(int length) => 1 + RedisArg.DigitCount(length) + 2;

    private static int WriteHeader(Span<byte> destination, byte marker, int length)
    {
        destination[0] = marker;
        Utf8Formatter.TryFormat(length, destination[1..], out var written);
        return 1 + written + WriteCrlf(destination[(1 + written)..]);
    }

    private static int WriteCrlf(Span<byte> destination)
    {
        destination[0] = (byte)'\r';
        destination[1] = (byte)'\n';
        return 2;
    }
}
