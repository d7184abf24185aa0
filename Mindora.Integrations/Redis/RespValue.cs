using System.Globalization;
using System.Text;

namespace Mindora.Integrations.Redis;

/// <summary>The RESP2 and RESP3 reply types (maps, sets and pushes keep their items flat).</summary>
internal enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
    Boolean,
    Double,
    BigNumber,
    Map,
    Set,
    Push,
}

/// <summary>One reply from the server. Immutable; strings are kept as bytes until asked for.</summary>
internal sealed class RespValue
{
    private static readonly RespValue[] NoItems = [];

    private readonly byte[]? _bytes;
    private readonly RespValue[]? _items;
    private readonly long _integer;
    private readonly double _double;

    private RespValue(RespKind kind, byte[]? bytes = null, RespValue[]? items = null, long integer = 0, double number = 0)
    {
        Kind = kind;
        _bytes = bytes;
        _items = items;
        _integer = integer;
        _double = number;
    }

    public static RespValue Null { get; } = new(RespKind.Null);

    public RespKind Kind { get; }

    public bool IsNull => Kind == RespKind.Null;

    /// <summary>Map items are flattened (key, value, key, value, …).</summary>
    public IReadOnlyList<RespValue> Items => _items ?? NoItems;

    public static RespValue Simple(byte[] text) => new(RespKind.SimpleString, text);

    public static RespValue Bulk(byte[] bytes) => new(RespKind.BulkString, bytes);

    public static RespValue Error(byte[] message) => new(RespKind.Error, message);

    public static RespValue Integer(long value) => new(RespKind.Integer, integer: value);

    public static RespValue Boolean(bool value) => new(RespKind.Boolean, integer: value ? 1 : 0);

    public static RespValue Double(double value) => new(RespKind.Double, number: value);

    public static RespValue BigNumber(byte[] digits) => new(RespKind.BigNumber, digits);

    public static RespValue Aggregate(RespKind kind, RespValue[] items) => new(kind, items: items);

    /// <summary>The bytes of a string reply; null for a null reply.</summary>
    public byte[]? AsBytes() => Kind switch
    {
        RespKind.Null => null,
        RespKind.BulkString or RespKind.SimpleString or RespKind.BigNumber or RespKind.Error => _bytes,
        RespKind.Integer or RespKind.Boolean or RespKind.Double => Encoding.ASCII.GetBytes(AsString()!),
        _ => throw Unexpected("a string"),
    };

    /// <summary>The text of a scalar reply; null for a null reply.</summary>
    public string? AsString() => Kind switch
    {
        RespKind.Null => null,
        RespKind.BulkString or RespKind.SimpleString or RespKind.BigNumber or RespKind.Error => Encoding.UTF8.GetString(_bytes!),
        RespKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RespKind.Boolean => _integer == 1 ? "1" : "0",
        RespKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        _ => throw Unexpected("a string"),
    };

    /// <summary>An integer reply (RESP3 booleans count as 0 or 1; numeric strings are parsed).</summary>
    public long AsInteger() => Kind switch
    {
        RespKind.Integer or RespKind.Boolean => _integer,
        RespKind.BulkString or RespKind.SimpleString when long.TryParse(_bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Unexpected("an integer"),
    };

    /// <summary>True for <c>+OK</c>.</summary>
    public bool IsOk => Kind == RespKind.SimpleString && _bytes is [(byte)'O', (byte)'K'];

    public override string ToString() => Kind switch
    {
        RespKind.Array or RespKind.Map or RespKind.Set or RespKind.Push => $"{Kind}[{Items.Count}]",
        _ => $"{Kind}",
    };

    private RespProtocolException Unexpected(string wanted) => new($"Expected {wanted} reply but got {Kind}.");
}
