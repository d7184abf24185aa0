using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mindora.ServiceDefaults.Tests.Support;

/// <summary>
/// An OTLP/HTTP collector stand-in: accepts POST /v1/traces, /v1/metrics and /v1/logs and keeps
/// the protobuf bodies it was sent.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> bodies = new();
    private LoopbackServer server = null!;

    public Uri Endpoint => server.BaseAddress;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver.server = await LoopbackServer.StartAsync(receiver.ReceiveAsync);
        return receiver;
    }

    public IReadOnlyList<byte[]> Received(string signal) =>
        bodies.TryGetValue($"/v1/{signal}", out var queue) ? [.. queue] : [];

    /// <summary>
    /// The bodies of <paramref name="signal"/> once one of them matches <paramref name="match"/>;
    /// fails after <paramref name="timeout"/> saying what did arrive.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> WaitForAsync(string signal, Func<byte[], bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = Received(signal);
            if (received.Any(match))
            {
                return received;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var arrived = string.Join(", ", bodies.Select(b => $"{b.Key}: {b.Value.Count}"));
                throw new Xunit.Sdk.XunitException($"No matching {signal} export within {timeout.TotalSeconds} s; received {(arrived.Length > 0 ? arrived : "nothing")}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Whether a body holds the attribute <paramref name="key"/> = <paramref name="value"/>, as OTLP
    /// encodes a KeyValue: key (field 1), then an AnyValue (field 2) holding string_value (field 1).
    /// The SDK may pad the AnyValue's length varint, so that length is skipped, not matched.
    /// </summary>
    public static bool HasStringAttribute(byte[] body, string key, string value)
    {
        byte[] keyField = [0x0A, .. Varint(Encoding.UTF8.GetByteCount(key)), .. Encoding.UTF8.GetBytes(key), 0x12];
        byte[] valueField = [0x0A, .. Varint(Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];
        var rest = body.AsSpan();
        for (var at = rest.IndexOf(keyField); at >= 0; at = rest.IndexOf(keyField))
        {
            rest = rest[(at + keyField.Length)..];
            var lengthBytes = 0;
            while (lengthBytes < rest.Length && (rest[lengthBytes] & 0x80) != 0)
            {
                lengthBytes++;
            }

            if (rest[(lengthBytes + 1)..].StartsWith(valueField))
            {
                return true;
            }
        }

        return false;
    }

    public static bool ContainsText(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var next = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? next : (byte)(next | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context, int hit)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var buffer = new MemoryStream();
        var body = context.Request.Headers.ContentEncoding == "gzip"
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        await using (body)
        {
            await body.CopyToAsync(buffer, context.RequestAborted);
        }

        bodies.GetOrAdd(context.Request.Path.Value!, _ => new()).Enqueue(buffer.ToArray());
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
