using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// Declares the durable queues and topic exchanges an app uses. The shared names are the
/// exception: the AppHost's provisioner (or the compose stack's provision job) declares them as
/// the administrator and apps may not configure them, so that no app can delete one, with the
/// messages in it, or redeclare it with other settings; an app only checks that they exist.
/// </summary>
internal static class RabbitDeclarations
{
    public static Task<QueueDeclareOk> DeclareQueueAsync(IChannel channel, string queue, IDictionary<string, object?>? arguments, CancellationToken cancellationToken) =>
        MessagingNames.Shared.Contains(queue)
            ? CheckSharedAsync(() => channel.QueueDeclarePassiveAsync(queue, cancellationToken), $"The shared queue '{queue}'")
            : channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);

    public static Task DeclareTopicExchangeAsync(IChannel channel, string exchange, CancellationToken cancellationToken) =>
        MessagingNames.Shared.Contains(exchange)
            ? CheckSharedAsync(async () => { await channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken).ConfigureAwait(false); return true; }, $"The shared exchange '{exchange}'")
            : channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);

    private static async Task<T> CheckSharedAsync<T>(Func<Task<T>> passiveDeclare, string what)
    {
        try
        {
            return await passiveDeclare().ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            throw new MindoraNotFoundException($"{what} (declared by the AppHost, or by the compose stack's provision job, before apps start)");
        }
    }
}
