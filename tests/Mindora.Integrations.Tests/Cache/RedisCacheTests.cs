using Mindora.Integrations.Cache;
using Mindora.Integrations.Redis;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Cache;

/// <summary>
/// The cache suite on redis-server, each app connecting as the ACL user the AppHost provisions for
/// it (keys and channels limited to <c>{app}:*</c>).
/// </summary>
[Collection(SharedServers.Collection)]
public sealed class RedisCacheTests(SharedServers servers) : CacheSuite
{
    private readonly ProvisionedApps _apps = new(servers);

    [Fact]
    public async Task The_server_itself_refuses_another_apps_keys_and_channels_to_an_app()
    {
        var owner = await NewAppAsync();
        var intruder = await NewAppAsync();
        await Open(owner).SetAsync("secret", "owner's");
        await using var client = new RedisClient(RedisConnectionSettings.Parse(_apps[intruder].Redis, "redis"));

        var read = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("GET", $"{owner}:c:secret"), CancellationToken.None));
        var write = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("UNLINK", $"{owner}:c:secret"), CancellationToken.None));
        var publish = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("PUBLISH", $"{owner}:events", "x"), CancellationToken.None));
        var keys = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("KEYS", "*"), CancellationToken.None));

        Assert.All([read, write, publish, keys], e => Assert.Equal("NOPERM", e.Prefix));
        Assert.Equal("forbidden", read.ErrorCode);
        Assert.Equal("owner's", await Open(owner).GetAsync<string>("secret"));
    }

    protected override Task<string> NewAppAsync() => _apps.NewAsync();

    private protected override ICacheProvider OpenProvider(string app) =>
        new RedisCacheProvider(new RedisClient(RedisConnectionSettings.Parse(_apps[app].Redis, "redis")), 0);
}
