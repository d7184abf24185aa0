using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Redis;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>
/// What another app's credentials can do with a raw RabbitMQ.Client, skipping Mindora's own name
/// checks: every route into an app's private queue must be refused by the broker itself.
/// </summary>
[Collection(SharedServers.Collection)]
public sealed class RabbitIsolationTests(SharedServers servers) : IAsyncLifetime
{
    private readonly ProvisionedApps _apps = new(servers);
    private string _owner = null!;
    private string _intruder = null!;
    private string _queue = null!;
    private MindoraMessaging _ownerMessaging = null!;
    private IConnection _raw = null!;

    public async Task InitializeAsync()
    {
        _owner = await _apps.NewAsync();
        _intruder = await _apps.NewAsync();
        _ownerMessaging = new MindoraMessaging(new RabbitMessagingProvider(new Uri(_apps[_owner].RabbitMQ), _owner, new MindoraMessagingOptions()), _owner, new MindoraMessagingOptions(), null, TimeProvider.System);
        _queue = _ownerMessaging.AppQueue("internal_tasks");
        await _ownerMessaging.SendAsync(_queue, 1);
        _raw = await new ConnectionFactory { Uri = new Uri(_apps[_intruder].RabbitMQ) }.CreateConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        await _raw.DisposeAsync();
        await _ownerMessaging.DisposeAsync();
    }

    [Fact]
    public async Task Another_apps_publish_through_the_default_exchange_is_refused()
    {
        await AssertRefusedAsync(channel => Publish(channel, string.Empty, _queue));
    }

    [Fact]
    public async Task Another_apps_publish_through_the_owners_direct_exchange_is_refused()
    {
        await AssertRefusedAsync(channel => Publish(channel, $"{_owner}.direct", _queue));
    }

    [Fact]
    public async Task Another_app_cannot_bind_the_owners_queue_to_its_own_exchange()
    {
        await AssertRefusedAsync(async channel =>
        {
            await channel.ExchangeDeclareAsync($"{_intruder}.trap", ExchangeType.Fanout, durable: false, autoDelete: true);
            await channel.QueueBindAsync(_queue, $"{_intruder}.trap", string.Empty);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("{owner}.direct")]
    public async Task Another_app_cannot_dead_letter_into_the_owners_queue(string deadLetterExchange)
    {
        await AssertRefusedAsync(channel => channel.QueueDeclareAsync($"{_intruder}.trap", durable: false, exclusive: true, autoDelete: true, new Dictionary<string, object?>
        {
            ["x-message-ttl"] = 1,
            ["x-dead-letter-exchange"] = deadLetterExchange.Replace("{owner}", _owner, StringComparison.Ordinal),
            ["x-dead-letter-routing-key"] = _queue,
        }));
    }

    [Fact]
    public async Task Another_app_cannot_make_the_owners_exchange_its_alternate_exchange()
    {
        await AssertRefusedAsync(channel => channel.ExchangeDeclareAsync($"{_intruder}.trap", ExchangeType.Direct, durable: false, autoDelete: true, new Dictionary<string, object?>
        {
            ["alternate-exchange"] = $"{_owner}.direct",
        }));
    }

    [Fact]
    public async Task Another_app_cannot_bind_a_queue_to_the_owners_reply_keys()
    {
        await AssertRefusedAsync(async channel =>
        {
            await channel.QueueDeclareAsync($"{_intruder}.snoop", durable: false, exclusive: true, autoDelete: true);
            await channel.QueueBindAsync($"{_intruder}.snoop", MessagingNames.ReplyExchange, $"{_owner}.reply.#");
        });
    }

    [Fact]
    public async Task Another_app_cannot_delete_or_redeclare_the_reply_exchange()
    {
        // Redeclared as a fanout, it would hand every reply to whoever bound a queue to it.
        await AssertRefusedAsync(channel => channel.ExchangeDeleteAsync(MessagingNames.ReplyExchange));
        await AssertRefusedAsync(channel => channel.ExchangeDeclareAsync(MessagingNames.ReplyExchange, ExchangeType.Fanout, durable: true, autoDelete: false));
    }

    [Fact]
    public async Task No_app_can_delete_or_redeclare_a_shared_queue_or_exchange()
    {
        // The provisioner declares them; deleting one would take every app's messages in it.
        await AssertRefusedAsync(channel => channel.QueueDeleteAsync("ai_processing_tasks"));
        await AssertRefusedAsync(channel => channel.QueueDeclareAsync("ai_processing_tasks", durable: false, exclusive: false, autoDelete: true));
        await AssertRefusedAsync(channel => channel.ExchangeDeleteAsync("system_events"));
        await AssertRefusedAsync(channel => channel.ExchangeDeclareAsync("system_events", ExchangeType.Fanout, durable: true, autoDelete: false));

        // Still there, as the provisioner made them; an app may check that.
        await using var channel = await _raw.CreateChannelAsync();
        foreach (var name in MessagingNames.Shared)
        {
            await channel.QueueDeclarePassiveAsync(name);
            await channel.ExchangeDeclarePassiveAsync(name);
        }
    }

    [Fact]
    public async Task Another_app_may_publish_only_reply_keys_to_the_reply_exchange()
    {
        await AssertRefusedAsync(channel => Publish(channel, MessagingNames.ReplyExchange, _queue));
    }

    [Fact]
    public async Task A_forged_reply_to_cannot_make_a_responder_write_into_its_own_private_queue()
    {
        // The intruder asks the owner's responder on a shared queue, naming the owner's private
        // queue as where to reply: the reply must go nowhere.
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var responder = await _ownerMessaging.RespondAsync<int, int>("inter_app_communication", (m, _) =>
        {
            answered.TrySetResult();
            return Task.FromResult(m.Body + 1);
        });
        await using var intruder = new RabbitMessagingProvider(new Uri(_apps[_intruder].RabbitMQ), _intruder, new MindoraMessagingOptions());
        var request = new MessageEnvelope(Guid.NewGuid().ToString("N"), "c1", "Int32", DateTimeOffset.UtcNow, "41"u8.ToArray(), new Dictionary<string, string>(), ReplyTo: _queue);

        await intruder.SendAsync("inter_app_communication", request, declare: true, CancellationToken.None);
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => await _ownerMessaging.CountAsync("inter_app_communication") == 0, "the request is settled");

        Assert.Equal(1, await _ownerMessaging.CountAsync(_queue));
    }

    /// <summary>The broker closes the channel with ACCESS_REFUSED (403), and the owner's queue still holds only its own message.</summary>
    private async Task AssertRefusedAsync(Func<IChannel, Task> attempt)
    {
        await using var channel = await _raw.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var refusal = await Record.ExceptionAsync(() => attempt(channel));
        await Eventually.TrueAsync(() => channel.IsClosed, "the broker closes the refused channel");
        Assert.True(refusal is OperationInterruptedException or AlreadyClosedException or PublishException, $"refused with an AMQP error, got {refusal?.GetType().Name ?? "no exception"}");
        Assert.Equal((ushort)403, channel.CloseReason?.ReplyCode);
        Assert.Equal(1, await _ownerMessaging.CountAsync(_queue));
    }

    private static async Task Publish(IChannel channel, string exchange, string routingKey) =>
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, new BasicProperties { Persistent = true }, new byte[] { 66 });
}
