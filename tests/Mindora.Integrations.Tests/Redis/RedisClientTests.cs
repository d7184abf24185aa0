using System.Text;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tests.Redis;

/// <summary>The client suite on redis-server, plus what only redis-server offers here (Lua, ACL users).</summary>
public sealed class RedisServerClientTests(RedisServer server) : RedisClientSuite(server), IClassFixture<RedisServer>
{
    [Fact]
    public async Task Evalsha_falls_back_to_eval_when_the_server_does_not_have_the_script()
    {
        await using var client = Server.CreateClient();
        var script = new RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
        var key = Guid.NewGuid().ToString("N");
        await client.ExecuteAsync(RedisRequest.Create("SCRIPT", "FLUSH"), CancellationToken.None);

        var first = await client.EvaluateAsync(0, script, [key], [5], CancellationToken.None);
        var cached = await client.ExecuteAsync(RedisRequest.Create("SCRIPT", "EXISTS", script.Sha1), CancellationToken.None);
        var second = await client.EvaluateAsync(0, script, [key], [5], CancellationToken.None);

        Assert.Equal(5, first.AsInteger());
        Assert.Equal(1, cached.Items[0].AsInteger());
        Assert.Equal(10, second.AsInteger());
    }

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task Auth_with_a_user_and_password_acts_as_that_user(string options)
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = Server.CreateClient())
        {
            await admin.ExecuteAsync(RedisRequest.Create("ACL", "SETUSER", user, "on", ">user-secret", $"~{user}:*", "+@all"), CancellationToken.None);
        }

        await using var client = new RedisClient(RedisConnectionSettings.Parse($"127.0.0.1:{Server.Port},user={user},password=user-secret{options}", "test"));

        Assert.Equal(user, (await client.ExecuteAsync(RedisRequest.Create("ACL", "WHOAMI"), CancellationToken.None)).AsString());
        await client.ExecuteAsync(RedisRequest.Create("SET", $"{user}:k", "v"), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("GET", "someone-else:k"), CancellationToken.None));
        Assert.Equal("NOPERM", refused.Prefix);
    }

    [Fact]
    public async Task Large_values_cross_many_reads_and_writes_intact()
    {
        await using var client = Server.CreateClient();
        var key = Guid.NewGuid().ToString("N");
        var value = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef", 256 * 1024)));

        await client.ExecuteAsync(RedisRequest.Create("SET", key, value), CancellationToken.None);

        Assert.Equal(value, (await client.ExecuteAsync(RedisRequest.Create("GET", key), CancellationToken.None)).AsBytes());
    }
}

/// <summary>The client suite on Microsoft Garnet (the process runtime's fallback when redis-server is absent).</summary>
public sealed class GarnetClientTests(GarnetServer server) : RedisClientSuite(server), IClassFixture<GarnetServer>
{
    [Fact(Skip = "Garnet lacks it as the process runtime starts it: no Lua without --lua, so EVALSHA/NOSCRIPT is tested on redis-server only.")]
    public void Evalsha_falls_back_to_eval_when_the_server_does_not_have_the_script()
    {
    }

    [Fact(Skip = "Garnet lacks it as the process runtime starts it: password mode has no ACL users (and Garnet's ACLs have no key patterns), so AUTH user+password is tested on redis-server only.")]
    public void Auth_with_a_user_and_password_acts_as_that_user()
    {
    }
}
