using System.Buffers;
using System.Text;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tests.Redis;

public sealed class RespParserTests
{
    [Fact]
    public void Parses_every_RESP3_type()
    {
        var bytes = "%2\r\n+kind\r\n~2\r\n#t\r\n,1.5\r\n$4\r\nsize\r\n(12345678901234567890\r\n"u8.ToArray();

        var value = Parse(bytes);

        Assert.Equal(RespKind.Map, value.Kind);
        Assert.Equal("kind", value.Items[0].AsString());
        Assert.Equal(RespKind.Set, value.Items[1].Kind);
        Assert.Equal(1, value.Items[1].Items[0].AsInteger());
        Assert.Equal("1.5", value.Items[1].Items[1].AsString());
        Assert.Equal("12345678901234567890", value.Items[3].AsString());
    }

    [Theory]
    [InlineData("_\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("*-1\r\n")]
    public void Null_in_either_protocol_is_null(string reply) => Assert.True(Parse(Encoding.ASCII.GetBytes(reply)).IsNull);

    [Fact]
    public void Verbatim_strings_lose_their_format_prefix_and_attributes_are_skipped()
    {
        Assert.Equal("hello", Parse("=9\r\ntxt:hello\r\n"u8.ToArray()).AsString());
        Assert.Equal(42, Parse("|1\r\n+ttl\r\n:5\r\n:42\r\n"u8.ToArray()).AsInteger());
    }

    [Fact]
    public void Errors_and_pushes_keep_their_kind()
    {
        Assert.Equal("ERR boom", Parse("-ERR boom\r\n"u8.ToArray()).AsString());
        Assert.Equal(RespKind.Error, Parse("!3\r\nbad\r\n"u8.ToArray()).Kind);
        Assert.Equal(RespKind.Push, Parse(">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n"u8.ToArray()).Kind);
    }

    [Fact]
    public void An_incomplete_reply_consumes_nothing_until_the_rest_arrives()
    {
        var whole = "*2\r\n$5\r\nhello\r\n:7\r\n+OK\r\n"u8.ToArray();
        for (var cut = 0; cut < 19; cut++)
        {
            var partial = new ReadOnlySequence<byte>(whole, 0, cut);
            Assert.False(RespParser.TryRead(ref partial, out _));
            Assert.Equal(cut, partial.Length);
        }

        var buffer = new ReadOnlySequence<byte>(whole);
        Assert.True(RespParser.TryRead(ref buffer, out var first));
        Assert.True(RespParser.TryRead(ref buffer, out var second));
        Assert.Equal(["hello", "7"], first.Items.Select(i => i.AsString()));
        Assert.True(second.IsOk);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12x\r\n")]
    [InlineData("$3\r\nabcde\r\n")]
    [InlineData("$-5\r\n")]
    public void Bytes_that_are_not_RESP_are_a_protocol_error(string reply) =>
        Assert.Throws<RespProtocolException>(() => Parse(Encoding.ASCII.GetBytes(reply)));

    [Fact]
    public void Requests_are_encoded_as_arrays_of_bulk_strings()
    {
        var request = RedisRequest.Create("set", "ключ", new byte[] { 0, 255 }, -12);
        var buffer = new ReadOnlySequence<byte>(request.Payload);

        Assert.True(RespParser.TryRead(ref buffer, out var parsed));
        Assert.Equal("SET", request.Name);
        Assert.StartsWith("*4\r\n$3\r\nset\r\n$8\r\n", Encoding.ASCII.GetString(request.Payload), StringComparison.Ordinal);
        Assert.Equal("ключ", parsed.Items[1].AsString());
        Assert.Equal(new byte[] { 0, 255 }, parsed.Items[2].AsBytes());
        Assert.Equal(-12, parsed.Items[3].AsInteger());
        Assert.True(buffer.IsEmpty);
    }

    private static RespValue Parse(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(RespParser.TryRead(ref buffer, out var value));
        Assert.True(buffer.IsEmpty);
        return value;
    }
}
