using Mindora.Hosting.ApplicationModel;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Redis;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;
using RabbitMQ.Client;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>
/// The messaging suite on rabbitmq-server, each app connecting as the user the AppHost provisions
/// for it (permissions limited to its own and the shared queues and exchanges).
/// </summary>
[Collection(SharedServers.Collection)]
public sealed class RabbitMessagingTests(SharedServers servers) : MessagingSuite
{
    private readonly ProvisionedApps _apps = new(servers);

    [Fact]
    public async Task The_broker_itself_refuses_another_apps_queue_to_an_app()
    {
        var owner = await NewAppAsync();
        var intruder = await NewAppAsync();
        var ownerMessaging = Open(owner);
        var queue = ownerMessaging.AppQueue("internal_tasks");
        await ownerMessaging.SendAsync(queue, 1);

        // Through the API the name is refused before the broker is asked ...
        await Assert.ThrowsAsync<MessagingAccessDeniedException>(() => Open(intruder).ConsumeAsync<int>(queue, (_, _) => Task.CompletedTask));

        // ... and a provider that skips the check is refused by the broker (ACCESS_REFUSED).
        await using var provider = OpenProvider(intruder);
        var spec = new ConsumeSpec(queue, null, null, 1, 1, MessagingNames.DeadLetterQueue(intruder, queue), MessagingNames.RetryQueue(intruder, queue));
        await Assert.ThrowsAsync<MessagingAccessDeniedException>(() => provider.ConsumeAsync(spec, (_, _) => Task.CompletedTask, CancellationToken.None));
        await Assert.ThrowsAsync<MessagingAccessDeniedException>(() => provider.SendAsync(queue, new MessageEnvelope("x", null, "t", DateTimeOffset.UtcNow, new byte[] { 1 }, new Dictionary<string, string>()), declare: true, CancellationToken.None));
        Assert.Equal(1, await ownerMessaging.CountAsync(queue));
    }

    [Fact]
    public async Task A_refused_publish_fails_alone_while_concurrent_sends_on_the_shared_channels_are_all_confirmed()
    {
        // Declaring another app's exchange is refused with a channel error, which closes the shared
        // channel under the sends in flight on it: they must still be confirmed (sent again
        // alone), and only the refused publish may fail.
        var owner = await NewAppAsync();
        var sender = await NewAppAsync();
        var messaging = Open(sender);
        var own = messaging.AppQueue("internal_tasks");
        await messaging.SendAsync(own, -1);
        await using var provider = OpenProvider(sender);

        var sends = Enumerable.Range(1, 60).Select(i => provider.SendAsync(own, Envelope(i), declare: false, CancellationToken.None)).ToList();
        var refused = provider.PublishAsync($"{owner}.events", "any", Envelope(999), CancellationToken.None);
        sends.AddRange(Enumerable.Range(61, 60).Select(i => provider.SendAsync(own, Envelope(i), declare: false, CancellationToken.None)));

        await Assert.ThrowsAsync<MessagingAccessDeniedException>(() => refused);
        await Task.WhenAll(sends);
        Assert.True(await messaging.CountAsync(own) >= 121, "every confirmed send is in the queue (one sent again may be there twice)");
    }

    [Fact]
    public async Task Queues_and_retry_queues_an_older_version_declared_keep_working()
    {
        // The old layout, made as the administrator: an unbound queue and a retry queue that
        // dead-letters through the default exchange, holding a message due back.
        var app = await NewAppAsync();
        var queue = MessagingNames.AppQueue(app, "legacy");
        var admin = (await servers.RabbitMQ.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run))!;
        await using (var connection = await new ConnectionFactory { Uri = new Uri(admin) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync(queue, true, false, false);
            var retry = $"{MessagingNames.RetryQueue(app, queue)}.100";
            await channel.QueueDeclareAsync(retry, true, false, false, new Dictionary<string, object?> { ["x-message-ttl"] = 100L, ["x-dead-letter-exchange"] = string.Empty, ["x-dead-letter-routing-key"] = queue });
            var old = new MessageEnvelope("old", null, "Int32", DateTimeOffset.UtcNow, "1"u8.ToArray(), new Dictionary<string, string>());
            await channel.BasicPublishAsync(string.Empty, retry, mandatory: true, RabbitEnvelope.Properties(old), old.Body);
        }

        // The new version binds the old queue to the app's direct exchange; the old retry drains into it.
        var messaging = Open(app);
        var received = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await Track(messaging.ConsumeAsync<int>(queue, (m, _) => { received.TryAdd(m.Body, 0); return Task.CompletedTask; }));
        await messaging.SendAsync(queue, 2);

        await Eventually.TrueAsync(() => received.ContainsKey(1) && received.ContainsKey(2), "the old retry's message and a new one");
    }

    private static MessageEnvelope Envelope(int body) =>
        new(Guid.NewGuid().ToString("N"), null, "t", DateTimeOffset.UtcNow, System.Text.Encoding.UTF8.GetBytes(body.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Dictionary<string, string>());

    protected override Task<string> NewAppAsync() => _apps.NewAsync();

    private protected override IMessagingProvider OpenProvider(string app) =>
        new RabbitMessagingProvider(new Uri(_apps[app].RabbitMQ), app, TestOptions());
}
