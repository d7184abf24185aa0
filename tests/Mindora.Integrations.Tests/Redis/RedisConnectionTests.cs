using System.Net;
using System.Net.Sockets;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tests.Redis;

/// <summary>Connection strings and connection failures that need no server.</summary>
public sealed class RedisConnectionTests
{
    [Fact]
    public void StackExchange_style_connection_strings_are_parsed()
    {
        var settings = RedisConnectionSettings.Parse("cache.local:6380,user=docs,password=p=w,ssl=true,sslHost=redis.example,defaultDatabase=3,connectTimeout=1500,asyncTimeout=2500,name=api,abortConnect=false", "redis");

        Assert.Equal("cache.local", settings.Host);
        Assert.Equal(6380, settings.Port);
        Assert.Equal("docs", settings.User);
        Assert.Equal("p=w", settings.Password);
        Assert.True(settings.Ssl);
        Assert.Equal("redis.example", settings.SslHost);
        Assert.Equal(3, settings.DefaultDatabase);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.CommandTimeout);
        Assert.Equal("api", settings.ClientName);
        Assert.Equal("cache.local:6380", settings.ToString());
    }

    [Fact]
    public void Defaults_apply_to_a_bare_host_and_IPv6_endpoints_keep_their_port()
    {
        var bare = RedisConnectionSettings.Parse("localhost", "redis");
        var ipv6 = RedisConnectionSettings.Parse("[::1]:7000,password=x", "redis");

        Assert.Equal(6379, bare.Port);
        Assert.Null(bare.Password);
        Assert.Equal(RedisProtocol.Auto, bare.Protocol);
        Assert.Equal("::1", ipv6.Host);
        Assert.Equal(7000, ipv6.Port);
    }

    [Theory]
    [InlineData("host:6379,password=s3cr3t,bogus=1", "bogus")]
    [InlineData("host:99999,password=s3cr3t", "port")]
    [InlineData("host:6379,password=s3cr3t,defaultDatabase=x", "defaultDatabase")]
    [InlineData("a:1,b:2,password=s3cr3t", "more than one endpoint")]
    [InlineData("password=s3cr3t", "no endpoint")]
    [InlineData("host,user=u", "no password")]
    public void Bad_connection_strings_are_configuration_errors_that_never_echo_the_password(string connectionString, string expected)
    {
        var error = Assert.Throws<MindoraConfigurationException>(() => RedisConnectionSettings.Parse(connectionString, "redis"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'redis'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_a_typed_unavailable_error()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var client = new RedisClient(RedisConnectionSettings.Parse($"127.0.0.1:{port},connectTimeout=2000", "redis"));

        var error = await Assert.ThrowsAsync<MindoraUnavailableException>(() => client.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_hits_the_connect_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync();
        await using var client = new RedisClient(RedisConnectionSettings.Parse($"127.0.0.1:{port},connectTimeout=300,password=x", "redis"));

        var error = await Assert.ThrowsAsync<MindoraUnavailableException>(() => client.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None));

        Assert.IsType<TimeoutException>(error.InnerException);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task Cancellation_while_connecting_is_an_OperationCanceledException()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var client = new RedisClient(RedisConnectionSettings.Parse($"127.0.0.1:{port},connectTimeout=10000", "redis"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync(RedisRequest.Create("PING"), cancel.Token));
    }
}
