using System.Collections.Concurrent;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Redis;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>
/// The broker crashes mid-stream (its process is killed) and comes back: nothing a publisher was
/// told is stored may be lost, publishes during the outage wait and succeed, and consumers carry
/// on without being started again, requests included. Runs on a private broker, since it stops it.
/// </summary>
public sealed class RabbitRecoveryTests
{
    private const int Messages = 200;

    [Fact]
    public async Task A_broker_restart_mid_stream_loses_no_confirmed_message_and_consumers_resume()
    {
        await using var broker = await PrivateRabbitMQ.StartAsync("recovery");
        var options = new MindoraMessagingOptions { PublishTimeout = TimeSpan.FromSeconds(120), RetryDelay = TimeSpan.FromMilliseconds(50) };
        await using var messaging = new MindoraMessaging(new RabbitMessagingProvider(new Uri(broker.ConnectionString), broker.AppName, options), broker.AppName, options, null, TimeProvider.System);
        var queue = messaging.AppQueue("internal_tasks");
        var received = new ConcurrentDictionary<int, int>();
        var events = new ConcurrentDictionary<int, int>();
        await using var consumer = await messaging.ConsumeAsync<int>(queue, (m, _) => { received.AddOrUpdate(m.Body, 1, (_, n) => n + 1); return Task.CompletedTask; });
        await using var subscriber = await messaging.SubscribeAsync<int>("system_events", "audit", "#", (m, _) => { events.TryAdd(m.Body, 0); return Task.CompletedTask; });
        var rpc = messaging.AppQueue("rpc");
        await using var responder = await messaging.RespondAsync<int, int>(rpc, (m, _) => Task.FromResult(m.Body * 2));
        Assert.Equal(4, await messaging.RequestAsync<int, int>(rpc, 2)); // opens the reply queue before the crash

        var confirmed = new ConcurrentBag<int>();
        var failures = new ConcurrentBag<Exception>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = Task.Run(async () =>
        {
            for (var i = 1; i <= Messages; i++)
            {
                if (i == Messages / 2)
                {
                    // The second half starts while the broker is down.
                    halfway.SetResult();
                    await killed.Task;
                }

                try
                {
                    await messaging.SendAsync(queue, i);
                    await messaging.PublishAsync("system_events", "tick", i);
                    confirmed.Add(i);
                }
                catch (MindoraException e)
                {
                    failures.Add(e);
                }
            }
        });

        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var oldPid = broker.Kill();
        killed.SetResult();
        using (var restart = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            await broker.WaitRestartedAsync(oldPid, restart.Token);
        }

        await publisher.WaitAsync(TimeSpan.FromSeconds(180));
        Assert.Empty(failures);
        Assert.Equal(Messages, confirmed.Count);
        await Eventually.TrueAsync(() => received.Count == Messages && events.Count == Messages, "every confirmed message after the restart", 120);
        Assert.Equal(Enumerable.Range(1, Messages), received.Keys.Order());

        // Consumers were re-registered by recovery: a message sent now is handled too.
        await messaging.SendAsync(queue, Messages + 1);
        await Eventually.TrueAsync(() => received.ContainsKey(Messages + 1), "a message sent after recovery", 60);

        // The reply queue and its binding to the reply exchange came back under the same name.
        Assert.Equal(6, await messaging.RequestAsync<int, int>(rpc, 3, TimeSpan.FromSeconds(60)));
    }
}
