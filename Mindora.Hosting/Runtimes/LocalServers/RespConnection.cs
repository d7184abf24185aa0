using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Just enough RESP2 for the AppHost to probe and provision a Redis server: send a command,
/// read its reply. (Apps use the SDK's full client; the AppHost needs no pipelining.)
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly BufferedStream _reader;

    private RespConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new BufferedStream(_stream);
    }

    public static async Task<RespConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new RespConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command and returns its reply: a string, a long, null, or an array of replies.</summary>
    /// <exception cref="RespErrorException">The server answered with an error.</exception>
    public async Task<object?> SendAsync(CancellationToken cancellationToken, params string[] command)
    {
        var request = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        foreach (var part in command)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return payload;
            case '-':
                throw new RespErrorException(payload);
            case ':':
                return long.Parse(payload, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var data = new byte[length + 2];
                await _reader.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                return Encoding.UTF8.GetString(data, 0, length);
            case '*':
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                }

                return items;
            default:
                throw new IOException($"Unexpected RESP reply type '{line[0]}'.");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(64);
        var one = new byte[1];
        while (true)
        {
            if (await _reader.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new IOException("The Redis server closed the connection.");
            }

            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            }

            bytes.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }
}

/// <summary>A Redis error reply.</summary>
internal sealed class RespErrorException(string message) : Exception(message);
