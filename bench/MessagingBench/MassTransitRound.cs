using MassTransit;

namespace MessagingBench;

/// <summary>
/// The same round on MassTransit 8 over RabbitMQ: a bus with one receive endpoint (prefetch 100,
/// one message at a time, like the other two), P loops sending to it. MassTransit publishes with
/// confirms and acks after the handler by default, so the work matches.
/// </summary>
internal sealed class MassTransitRound(Uri uri, string queue)
{
    public async Task<TimeSpan> RunAsync(int messages, int publishers)
    {
        var name = "bench_mt_" + queue;
        var handled = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(uri.Host, (ushort)uri.Port, VirtualHost(uri), h =>
            {
                h.Username(credentials[0]);
                h.Password(credentials[1]);
                h.PublisherConfirmation = true;
            });
            // The app's broker user may only touch names under its prefix; MassTransit would
            // otherwise declare an exchange named after the message type.
            cfg.Message<Job>(m => m.SetEntityName("bench_mt_job"));
            cfg.ReceiveEndpoint(name, e =>
            {
                e.PrefetchCount = 100;
                e.ConcurrentMessageLimit = 1;
                e.Handler<Job>(_ =>
                {
                    if (Interlocked.Increment(ref handled) == messages)
                    {
                        done.TrySetResult();
                    }

                    return Task.CompletedTask;
                });
            });
        });

        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{name}"));
            return await Publishing.TimeAsync(messages, publishers, sendEach => sendEach(n => endpoint.Send(new Job(n, "0192f5c1e0a87c3d9b6e4f2a1c0d8e7f", "extract-text"))), done.Task);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static string VirtualHost(Uri uri) =>
        uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
}
