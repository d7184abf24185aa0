using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tests.Redis;

/// <summary>
/// <c>ssl=true</c> against redis-server's own TLS port. The process runtime has no TLS option, so
/// this test starts redis-server itself, with a self-signed certificate the client pins.
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mindora-redis-tls", Guid.NewGuid().ToString("N")[..12]);
    private X509Certificate2 _certificate = null!;
    private Process? _server;
    private int _port;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(_directory, "cert.pem"), _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());

        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        foreach (var argument in new[] { "--port", "0", "--tls-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--tls-cert-file", "cert.pem", "--tls-key-file", "key.pem", "--tls-auth-clients", "no", "--requirepass", "tls-secret", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, _port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "redis-server's TLS port");
    }

    [Fact]
    public async Task Ssl_true_speaks_TLS_to_the_server_and_checks_its_certificate()
    {
        var settings = RedisConnectionSettings.Parse($"127.0.0.1:{_port},password=tls-secret,ssl=true,sslHost=localhost", "redis");
        await using var pinned = new RedisClient(settings with { CertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == _certificate.GetCertHashString() });
        await using var untrusted = new RedisClient(settings);

        await pinned.ExecuteAsync(RedisRequest.Create("SET", "over-tls", "yes"), CancellationToken.None);

        Assert.Equal("yes", (await pinned.ExecuteAsync(RedisRequest.Create("GET", "over-tls"), CancellationToken.None)).AsString());
        var refused = await Assert.ThrowsAsync<MindoraUnavailableException>(() => untrusted.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit(5000);
        }

        _server?.Dispose();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
