using System.Text.Json;
using Mindora.Integrations;
using Mindora.Integrations.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MessagingBench;

/// <summary>The message both sides send.</summary>
internal sealed record Job(int Number, string DocumentId, string Kind);

/// <summary>One round through Mindora: a client, one consumer, P publisher loops; ends when all are handled.</summary>
internal sealed class MindoraRound(Uri uri, string app, string queueSuffix)
{
    public async Task<TimeSpan> RunAsync(int messages, int publishers)
    {
        await using var client = MindoraClient.Create(app, new Dictionary<string, string> { ["rabbitmq"] = uri.ToString() });
        var messaging = client.Messaging;
        var queue = $"{app}_{queueSuffix}";
        var handled = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var consumer = await messaging.ConsumeAsync<Job>(queue, (_, _) =>
        {
            if (Interlocked.Increment(ref handled) == messages)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        }, new ConsumerOptions { Prefetch = 100, Concurrency = 1 });

        return await Publishing.TimeAsync(messages, publishers, sendEach => sendEach(n => messaging.SendAsync(queue, new Job(n, "0192f5c1e0a87c3d9b6e4f2a1c0d8e7f", "extract-text"))), done.Task);
    }
}

/// <summary>The same round on raw RabbitMQ.Client 7: P confirm-mode channels, a consumer with manual acks.</summary>
internal sealed class RawRound(Uri uri, string queue)
{
    private const string Exchange = "bench.direct";

    public async Task<TimeSpan> RunAsync(int messages, int publishers)
    {
        var factory = new ConnectionFactory { Uri = uri, AutomaticRecoveryEnabled = true };
        await using var connection = await factory.CreateConnectionAsync();
        var name = "bench_" + queue;
        await using var consumerChannel = await connection.CreateChannelAsync();
        await consumerChannel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);

        // An app's user may not write to the default exchange; like Mindora, send through the app's direct exchange.
        await consumerChannel.ExchangeDeclareAsync(Exchange, ExchangeType.Direct, durable: true, autoDelete: false);
        await consumerChannel.QueueBindAsync(name, Exchange, name);
        await consumerChannel.BasicQosAsync(0, 100, false);
        var handled = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, e) =>
        {
            JsonSerializer.Deserialize<Job>(e.Body.Span, Json);
            await consumerChannel.BasicAckAsync(e.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref handled) == messages)
            {
                done.TrySetResult();
            }
        };
        await consumerChannel.BasicConsumeAsync(name, autoAck: false, consumer);

        return await Publishing.TimeAsync(messages, publishers, async sendEach =>
        {
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
            await sendEach(async n =>
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new Job(n, "0192f5c1e0a87c3d9b6e4f2a1c0d8e7f", "extract-text"), Json);
                var properties = new BasicProperties { MessageId = Guid.NewGuid().ToString("N"), ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, Type = nameof(Job) };
                await channel.BasicPublishAsync(Exchange, name, mandatory: true, properties, body);
            });
        }, done.Task);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
