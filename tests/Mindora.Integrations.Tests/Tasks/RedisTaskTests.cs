using Mindora.Integrations.Redis;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Tasks;

/// <summary>
/// The task suite on redis-server, each app connecting as the ACL user the AppHost provisions for
/// it (keys and channels limited to <c>{app}:*</c>), so every script must stay inside the app's prefix.
/// </summary>
[Collection(SharedServers.Collection)]
public sealed class RedisTaskTests(SharedServers servers) : TaskSuite
{
    private readonly ProvisionedApps _apps = new(servers);

    [Fact]
    public async Task Another_apps_user_cannot_read_or_change_an_apps_task_keys()
    {
        var owner = await NewAppAsync();
        var intruder = await NewAppAsync();
        var task = await Open(owner).EnqueueAsync("t", "secret");
        await using var client = new RedisClient(RedisConnectionSettings.Parse(ConnectionString(intruder), "redis"));

        var read = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("HGETALL", $"{owner}:tasks:t:{task.Id}"), CancellationToken.None));
        var claim = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("ZPOPMIN", $"{owner}:tasks:q:default"), CancellationToken.None));

        Assert.All([read, claim], e => Assert.Equal("NOPERM", e.Prefix));
        Assert.Equal(MindoraTaskStatus.Queued, (await Open(owner).GetAsync(task.Id))?.Status);
    }

    [Fact]
    public async Task Every_key_the_queue_writes_is_under_the_apps_prefix()
    {
        var app = await NewAppAsync();
        var tasks = Open(app, new MindoraTasksOptions { BaseRetryDelay = TimeSpan.FromHours(1), MaxRetryDelay = TimeSpan.FromHours(1) });
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { IdempotencyKey = "k", Priority = TaskPriority.High });
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1), Queue = "later" });
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        await tasks.FailAsync(lease!, "again");

        await using var client = new RedisClient(RedisConnectionSettings.Parse(ConnectionString(app), "redis"));
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            var page = await client.ExecuteAsync(RedisRequest.Create("SCAN", cursor, "MATCH", app + ":*", "COUNT", 1000), CancellationToken.None);
            cursor = page.Items[0].AsString()!;
            keys.AddRange(page.Items[1].Items.Select(k => k.AsString()!));
        }
        while (cursor != "0");

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith(app + ":tasks:", k, StringComparison.Ordinal));
    }

    protected override Task<string> NewAppAsync() => _apps.NewAsync();

    protected override string ConnectionString(string app) => _apps[app].Redis;

    private protected override ITasksProvider OpenProvider(string app, MindoraTasksOptions options, TimeProvider time) =>
        new RedisTaskStore(new RedisClient(RedisConnectionSettings.Parse(ConnectionString(app), "redis")), app, options, null, time);
}
