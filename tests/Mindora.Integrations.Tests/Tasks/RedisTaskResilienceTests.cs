using System.Collections.Concurrent;
using Mindora.Hosting.ApplicationModel;
using Mindora.Integrations.Redis;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Tasks;

/// <summary>
/// The worker's path on Redis (claim, wait, heartbeat, complete) while the server drops the app's
/// connections again and again (<c>CLIENT KILL USER</c> on the shared redis-server, which only
/// touches this test's own ACL user): every call rides it out through the retry pipeline.
/// </summary>
[Collection(SharedServers.Collection)]
public sealed class RedisTaskResilienceTests(SharedServers servers)
{
    private static readonly string[] Default = ["default"];

    [Fact]
    public async Task Claim_heartbeat_and_complete_survive_lost_connections_and_every_task_succeeds()
    {
        var app = new ProvisionedApps(servers);
        var name = await app.NewAsync();
        var settings = RedisConnectionSettings.Parse(app[name].Redis, "redis");
        await using var tasks = new RedisTaskStore(new RedisClient(settings), name, new MindoraTasksOptions(), null, TimeProvider.System);
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await tasks.EnqueueAsync("t", new { I = i })).Id);
        }

        var admin = (await servers.Redis.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run))!;
        await using var killer = new RedisClient(RedisConnectionSettings.Parse(admin, "admin"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var escaped = new ConcurrentQueue<Exception>();
        var completed = new ConcurrentDictionary<string, bool>();
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            while (completed.Count < ids.Count && !stop.IsCancellationRequested)
            {
                try
                {
                    if (await tasks.TryClaimAsync(Default, $"w{w}", TimeSpan.FromSeconds(3), stop.Token) is not { } lease)
                    {
                        await tasks.WaitForWorkAsync(Default, TimeSpan.FromMilliseconds(200), stop.Token);
                        continue;
                    }

                    Assert.True(await tasks.RenewLeaseAsync(lease, TimeSpan.FromSeconds(3), stop.Token));
                    await Task.Delay(5, stop.Token);
                    await tasks.CompleteAsync(lease, null, stop.Token);
                    completed[lease.Task.Id] = true;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    escaped.Enqueue(e);
                }
            }
        })).ToArray();

        var killed = 0L;
        while (completed.Count < ids.Count && !stop.IsCancellationRequested)
        {
            killed += (await killer.ExecuteAsync(RedisRequest.Create("CLIENT", "KILL", "USER", settings.User!), CancellationToken.None)).AsInteger();
            await Task.Delay(100);
        }

        await Task.WhenAll(workers);
        Assert.Empty(escaped);
        Assert.True(killed > 0, "The test never dropped a connection.");
        Assert.Equal(ids.Order(), completed.Keys.Order());
        foreach (var id in ids)
        {
            Assert.Equal(MindoraTaskStatus.Succeeded, (await tasks.GetAsync(id))?.Status);
        }
    }
}
