using Mindora.Integrations.Messaging;
using Mindora.Testing;
using RabbitMQ.Client;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>
/// The shared queues and exchanges belong to the provisioner, not to any app: apps only check that
/// they exist. Runs on a private broker, since it deletes them.
/// </summary>
public sealed class RabbitSharedNamesTests
{
    [Fact]
    public async Task A_missing_shared_name_is_a_typed_not_found_until_the_provisioner_declares_it_again()
    {
        await using var broker = await PrivateRabbitMQ.StartAsync("sharednames");
        var options = new MindoraMessagingOptions();
        await using var messaging = new MindoraMessaging(new RabbitMessagingProvider(new Uri(broker.ConnectionString), broker.AppName, options), broker.AppName, options, null, TimeProvider.System);
        await messaging.SendAsync("ai_processing_tasks", 1);

        await using (var connection = await new ConnectionFactory { Uri = new Uri(await broker.AdminConnectionStringAsync()) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync("ai_processing_tasks");
            await channel.ExchangeDeleteAsync("system_events");
        }

        // A new client has nothing cached: it checks, and the broker says the names are gone.
        await using var fresh = new MindoraMessaging(new RabbitMessagingProvider(new Uri(broker.ConnectionString), broker.AppName, options), broker.AppName, options, null, TimeProvider.System);
        var send = await Assert.ThrowsAsync<MindoraNotFoundException>(() => fresh.SendAsync("ai_processing_tasks", 2));
        Assert.Contains("shared queue 'ai_processing_tasks'", send.Message, StringComparison.Ordinal);
        Assert.Contains("provision", send.Message, StringComparison.Ordinal);
        var subscribe = await Assert.ThrowsAsync<MindoraNotFoundException>(() => fresh.SubscribeAsync<int>("system_events", "audit", "#", (_, _) => Task.CompletedTask));
        Assert.Contains("shared exchange 'system_events'", subscribe.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => fresh.PublishAsync("system_events", "document.indexed", 3));

        // The AppHost provisions on every start: the names are back and work as before.
        await broker.ProvisionAgainAsync();
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await fresh.SubscribeAsync<int>("system_events", "audit", "#", (m, _) => { received.TrySetResult(m.Body); return Task.CompletedTask; });
        await fresh.PublishAsync("system_events", "document.indexed", 4);
        Assert.Equal(4, await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await fresh.SendAsync("ai_processing_tasks", 5);
        Assert.Equal(1, await fresh.CountAsync("ai_processing_tasks"));
    }
}
