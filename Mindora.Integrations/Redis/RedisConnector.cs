using System.Net.Security;
using System.Net.Sockets;

namespace Mindora.Integrations.Redis;

/// <summary>
/// Opens one connection: TCP (TLS when <c>ssl=true</c>), then the handshake — <c>HELLO 3</c>
/// with AUTH and SETNAME where the server has it, else RESP2 with <c>AUTH</c> — and <c>SELECT</c>.
/// The whole open is bounded by the connect timeout.
/// </summary>
internal static class RedisConnector
{
    public static async Task<RedisPipeline> ConnectAsync(
        RedisConnectionSettings settings,
        int database,
        Action<RespValue>? onPush,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        var endpoint = settings.Describe();
        Stream? stream = null;
        RedisPipeline? pipeline = null;
        try
        {
            stream = await OpenStreamAsync(settings, timeout.Token).ConfigureAwait(false);
            pipeline = new RedisPipeline(stream, endpoint, settings.CommandTimeout, onPush);
            pipeline.Start();
            await HandshakeAsync(pipeline, settings, database, timeout.Token).ConfigureAwait(false);
            return pipeline;
        }
        catch (Exception e)
        {
            if (pipeline is not null)
            {
                await pipeline.DisposeAsync().ConfigureAwait(false);
            }
            else if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw e switch
            {
                OperationCanceledException => new MindoraUnavailableException($"Connecting to Redis at {endpoint} timed out after {settings.ConnectTimeout.TotalMilliseconds:0} ms.", new TimeoutException()),
                RedisServerException { Prefix: "WRONGPASS" or "NOPERM" or "NOAUTH" } refused => new MindoraUnavailableException($"Redis at {endpoint} refused the credentials of user '{settings.User ?? "default"}' ({refused.Prefix}); check the connection string's user and password.", refused),
                RedisServerException refused => new MindoraUnavailableException($"Redis at {endpoint} refused the connection handshake: {refused.ServerMessage}", refused),
                MindoraUnavailableException unavailable => unavailable,
                _ => new MindoraUnavailableException($"Cannot connect to Redis at {endpoint}: {e.Message}", e),
            };
        }
    }

    private static async Task<Stream> OpenStreamAsync(RedisConnectionSettings settings, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(settings.Host, settings.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var network = new NetworkStream(socket, ownsSocket: true);
        if (!settings.Ssl)
        {
            return network;
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = settings.SslHost ?? settings.Host,
                    RemoteCertificateValidationCallback = settings.CertificateValidation,
                },
                cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task HandshakeAsync(RedisPipeline pipeline, RedisConnectionSettings settings, int database, CancellationToken cancellationToken)
    {
        var resp3 = settings.Protocol == RedisProtocol.Auto && await TryHello3Async(pipeline, settings, cancellationToken).ConfigureAwait(false);
        if (!resp3)
        {
            if (settings.Password is not null)
            {
                var auth = settings.User is null
                    ? RedisRequest.Create("AUTH", settings.Password)
                    : RedisRequest.Create("AUTH", settings.User, settings.Password);
                await pipeline.SendAsync(auth, cancellationToken).ConfigureAwait(false);
            }

            if (settings.ClientName is not null)
            {
                await pipeline.SendAsync(RedisRequest.Create("CLIENT", "SETNAME", settings.ClientName), cancellationToken).ConfigureAwait(false);
            }
        }

        if (database != 0)
        {
            await pipeline.SendAsync(RedisRequest.Create("SELECT", database), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the server speaks RESP3; false when it has no HELLO (or not version 3).</summary>
    private static async Task<bool> TryHello3Async(RedisPipeline pipeline, RedisConnectionSettings settings, CancellationToken cancellationToken)
    {
        var args = new List<RedisArg> { 3 };
        if (settings.Password is not null)
        {
            args.AddRange(["AUTH", settings.User ?? "default", settings.Password]);
        }

        if (settings.ClientName is not null)
        {
            args.AddRange(["SETNAME", settings.ClientName]);
        }

        try
        {
            var hello = await pipeline.SendAsync(RedisRequest.Create("HELLO", args.ToArray()), cancellationToken).ConfigureAwait(false);
            pipeline.Protocol = hello.Kind == RespKind.Map ? 3 : 2;
            return pipeline.Protocol == 3;
        }
        catch (RedisServerException e) when (e.Prefix == "NOPROTO" || e.ServerMessage.Contains("unknown command", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }
}
