using System.Collections.Concurrent;
using System.Diagnostics;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Redis;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>
/// Messaging's behaviour, run against every store (one subclass each). <see cref="Open"/> opens a
/// new instance for an app — what another process of that app would have — so competing
/// consumers and RPC run across instances that share only the store.
/// </summary>
public abstract class MessagingSuite : IAsyncLifetime
{
    private readonly ConcurrentBag<IAsyncDisposable> _opened = [];

    public sealed record Order(int Number, string Customer);

    public sealed record Sum(int A, int B);

    /// <summary>A new app, with its own credentials where the store has them.</summary>
    protected abstract Task<string> NewAppAsync();

    /// <summary>A new provider instance connected as <paramref name="app"/>.</summary>
    private protected abstract IMessagingProvider OpenProvider(string app);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var opened in _opened)
        {
            await opened.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_sent_message_is_handled_once_with_its_envelope()
    {
        var app = await NewAppAsync();
        var sender = Open(app);
        var receiver = Open(app);
        var queue = sender.AppQueue("internal_tasks");
        var received = new ConcurrentQueue<MessageContext<Order>>();
        await Track(receiver.ConsumeAsync<Order>(queue, (m, _) => { received.Enqueue(m); return Task.CompletedTask; }));

        var id = await sender.SendAsync(queue, new Order(7, "Ada"), new MessageOptions { CorrelationId = "conv-1", Headers = new Dictionary<string, string> { ["tenant"] = "t1" } });

        await Eventually.TrueAsync(() => !received.IsEmpty, "the message to arrive");
        var message = Assert.Single(received);
        Assert.Equal(new Order(7, "Ada"), message.Body);
        Assert.Equal((id, "conv-1", "Order", 1, queue), (message.MessageId, message.CorrelationId, message.Type, message.Attempt, message.Queue));
        Assert.Equal("t1", message.Headers["tenant"]);

        // Only the sender's own: not Mindora's, the trace's or the client library's (x-dotnet-pub-seq-no).
        Assert.Equal(["tenant"], message.Headers.Keys);
        Assert.InRange(message.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        await Eventually.TrueAsync(async () => await sender.CountAsync(queue) == 0, "the queue to be empty");
    }

    [Theory]
    [InlineData("not a routing key!")]
    [InlineData("{queue}")]
    public async Task A_request_with_a_forged_reply_to_gets_no_reply_and_the_responder_carries_on(string replyTo)
    {
        // A reply-to naming the responder's own queue must not make the responder write into it.
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("rpc");
        var handled = 0;
        await Track(messaging.RespondAsync<int, int>(queue, (m, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.FromResult(m.Body + 1);
        }));
        await using var provider = OpenProvider(app);
        var forged = new MessageEnvelope(Guid.NewGuid().ToString("N"), "c1", "Int32", DateTimeOffset.UtcNow, "1"u8.ToArray(), new Dictionary<string, string>(), ReplyTo: replyTo.Replace("{queue}", queue, StringComparison.Ordinal));

        await provider.SendAsync(queue, forged, declare: true, CancellationToken.None);
        await Eventually.TrueAsync(() => Volatile.Read(ref handled) == 1, "the forged request to be handled");

        Assert.Equal(3, await messaging.RequestAsync<int, int>(queue, 2));
        Assert.Equal(2, Volatile.Read(ref handled));
        Assert.Equal(0, await messaging.CountAsync(queue));
        Assert.Empty(await messaging.GetDeadLettersAsync(queue));
    }

    [Fact]
    public async Task Competing_consumers_handle_each_message_exactly_once_between_them()
    {
        var app = await NewAppAsync();
        var sender = Open(app);
        var queue = sender.AppQueue("work");
        var handled = new ConcurrentDictionary<int, int>();
        for (var i = 0; i < 2; i++)
        {
            await Track(Open(app).ConsumeAsync<Order>(queue, (m, _) => { handled.AddOrUpdate(m.Body.Number, 1, (_, n) => n + 1); return Task.CompletedTask; }, new ConsumerOptions { Prefetch = 2, Concurrency = 2 }));
        }

        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => sender.SendAsync(queue, new Order(i, "c"))));

        await Eventually.TrueAsync(() => handled.Count == 40, "all 40 messages to be handled");
        await Eventually.TrueAsync(async () => await sender.CountAsync(queue) == 0, "the queue to be drained");
        Assert.All(handled.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Two_apps_send_to_and_compete_on_a_shared_queue_and_keep_their_dead_letters_apart()
    {
        var first = Open(await NewAppAsync());
        var second = Open(await NewAppAsync());
        var marker = Guid.NewGuid().ToString("N");
        var handled = new ConcurrentDictionary<int, string>();
        await Track(first.ConsumeAsync<Order>("ai_processing_tasks", (m, _) => Record(m, first.App)));
        var secondConsumer = await second.ConsumeAsync<Order>("ai_processing_tasks", (m, _) => Record(m, second.App));

        for (var i = 1; i <= 10; i++)
        {
            await (i % 2 == 0 ? first : second).SendAsync("ai_processing_tasks", new Order(i, marker));
        }

        await Eventually.TrueAsync(() => handled.Count == 10, "the shared queue's messages");
        await secondConsumer.DisposeAsync();
        await using (await second.ConsumeAsync<Order>("ai_processing_tasks", (_, _) => throw new InvalidOperationException("second fails"), new ConsumerOptions { MaxAttempts = 1 }))
        {
            await first.DisposeAsync();
            await second.SendAsync("ai_processing_tasks", new Order(11, marker));
            await Eventually.TrueAsync(async () => (await second.GetDeadLettersAsync("ai_processing_tasks")).Any(d => d.Body.Contains(marker, StringComparison.Ordinal)), "the second app's dead letter");
        }

        var third = Open(first.App);
        Assert.DoesNotContain(await third.GetDeadLettersAsync("ai_processing_tasks"), d => d.Body.Contains(marker, StringComparison.Ordinal));

        Task Record(MessageContext<Order> message, string app)
        {
            if (message.Body.Customer == marker)
            {
                handled[message.Body.Number] = app;
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Every_subscription_gets_a_copy_of_a_broadcast_while_instances_of_one_subscription_compete()
    {
        var app = await NewAppAsync();
        var publisher = Open(app);
        var audit = new ConcurrentBag<string>();
        var indexer = new ConcurrentBag<string>();
        await Track(Open(app).SubscribeAsync<Order>("system_events", "audit", "#", (m, _) => { audit.Add(m.MessageId); return Task.CompletedTask; }));
        await Track(Open(app).SubscribeAsync<Order>("system_events", "indexer", "#", (m, _) => { indexer.Add(m.MessageId); return Task.CompletedTask; }));
        await Track(Open(app).SubscribeAsync<Order>("system_events", "indexer", "#", (m, _) => { indexer.Add(m.MessageId); return Task.CompletedTask; }));

        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await publisher.PublishAsync("system_events", "document.uploaded", new Order(i, "x")));
        }

        await Eventually.TrueAsync(() => audit.Count == 10 && indexer.Count == 10, "each subscription to get all 10");
        Assert.Equal(ids.Order(), audit.Order());
        Assert.Equal(ids.Order(), indexer.Order());
    }

    [Fact]
    public async Task Transient_subscriptions_each_get_every_message_and_keep_nothing_once_stopped()
    {
        var app = await NewAppAsync();
        var publisher = Open(app);
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();
        var transient = new ConsumerOptions { Transient = true };
        var firstSubscription = await Open(app).SubscribeAsync<Order>("user_notifications", "instance-a", "document.*", (m, _) => { first.Enqueue(m.MessageId); return Task.CompletedTask; }, transient);
        await Track(Open(app).SubscribeAsync<Order>("user_notifications", "instance-b", "document.*", (m, _) =>
        {
            second.Enqueue(m.MessageId);

            // A failing handler's message is dropped: a transient queue has no retry or dead-letter queue.
            return m.Body.Number == 1 ? throw new InvalidOperationException("no browser") : Task.CompletedTask;
        }, transient));

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await publisher.PublishAsync("user_notifications", "document.indexed", new Order(i, "x")));
        }

        await Eventually.TrueAsync(() => first.Count == 3 && second.Count == 3, "both instances to get all 3");
        Assert.Equal(ids.Order(), first.Order());
        Assert.Equal(ids.Order(), second.Order());

        // Stopped, instance-a's queue is gone: what is published meanwhile is not kept for it, and
        // the same name subscribes again from another connection (an exclusive queue left behind would refuse it).
        await firstSubscription.DisposeAsync();
        var missed = await publisher.PublishAsync("user_notifications", "document.indexed", new Order(3, "x"));
        var again = new ConcurrentQueue<string>();
        await Track(Open(app).SubscribeAsync<Order>("user_notifications", "instance-a", "document.*", (m, _) => { again.Enqueue(m.MessageId); return Task.CompletedTask; }, transient));
        var next = await publisher.PublishAsync("user_notifications", "document.indexed", new Order(4, "x"));
        await Eventually.TrueAsync(() => !again.IsEmpty && second.Count == 5, "the new subscription and instance-b to get the next one");
        Assert.Equal([next], again);
        Assert.Equal(ids.Append(missed).Append(next).Order(), second.Order());
    }

    [Fact]
    public async Task Transient_applies_to_subscriptions_only()
    {
        var messaging = Open(await NewAppAsync());

        var e = await Assert.ThrowsAsync<MindoraValidationException>(() => messaging.ConsumeAsync<Order>(messaging.AppQueue("internal_tasks"), (_, _) => Task.CompletedTask, new ConsumerOptions { Transient = true }));
        Assert.Contains("SubscribeAsync", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topic_patterns_route_by_routing_key_with_wildcards()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var oneWord = new ConcurrentBag<string>();
        var anyWords = new ConcurrentBag<string>();
        var exact = new ConcurrentBag<string>();
        await Track(messaging.SubscribeAsync<Order>("inter_app_communication", "one", "document.*", (m, _) => { oneWord.Add(m.Type); return Task.CompletedTask; }));
        await Track(messaging.SubscribeAsync<Order>("inter_app_communication", "any", "document.#", (m, _) => { anyWords.Add(m.Type); return Task.CompletedTask; }));
        await Track(messaging.SubscribeAsync<Order>("inter_app_communication", "exact", "user.created", (m, _) => { exact.Add(m.Type); return Task.CompletedTask; }));

        foreach (var key in new[] { "document.uploaded", "document.pdf.indexed", "user.created", "user.deleted" })
        {
            await messaging.PublishAsync("inter_app_communication", key, new Order(1, key));
        }

        await Eventually.TrueAsync(() => oneWord.Count == 1 && anyWords.Count == 2 && exact.Count == 1, "the routed copies");
        Assert.Equal(["document.uploaded"], oneWord);
        Assert.Equal(["document.pdf.indexed", "document.uploaded"], anyWords.Order());
        Assert.Equal(["user.created"], exact);
    }

    [Fact]
    public async Task A_request_gets_the_typed_reply_of_another_instance()
    {
        var app = await NewAppAsync();
        var server = Open(app);
        var queue = server.AppQueue("rpc_sum");
        await Track(server.RespondAsync<Sum, int>(queue, (m, _) => Task.FromResult(m.Body.A + m.Body.B)));
        var client = Open(app);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.RequestAsync<Sum, int>(queue, new Sum(i, 10), TimeSpan.FromSeconds(20))));

        Assert.Equal([10, 11, 12, 13, 14], answers);
    }

    [Fact]
    public async Task A_request_nobody_answers_times_out_and_a_failing_responder_reports_its_error()
    {
        var app = await NewAppAsync();
        var client = Open(app);
        var silent = client.AppQueue("rpc_silent");
        await Assert.ThrowsAsync<MessagingTimeoutException>(() => client.RequestAsync<Sum, int>(silent, new Sum(1, 2), TimeSpan.FromMilliseconds(300)));

        var failing = client.AppQueue("rpc_failing");
        await Track(Open(app).RespondAsync<Sum, int>(failing, (_, _) => throw new InvalidOperationException("division by zero")));
        var error = await Assert.ThrowsAsync<MessagingRequestFailedException>(() => client.RequestAsync<Sum, int>(failing, new Sum(1, 0), TimeSpan.FromSeconds(20)));
        Assert.Contains("division by zero", error.RemoteError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_that_fails_once_succeeds_on_the_delayed_retry()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("flaky");
        var attempts = new ConcurrentQueue<int>();
        await Track(messaging.ConsumeAsync<Order>(queue, (m, _) =>
        {
            attempts.Enqueue(m.Attempt);
            return m.Attempt == 1 ? throw new InvalidOperationException("transient") : Task.CompletedTask;
        }));

        await messaging.SendAsync(queue, new Order(1, "x"));

        await Eventually.TrueAsync(() => attempts.Count == 2, "the retry");
        Assert.Equal([1, 2], attempts);
        Assert.Empty(await messaging.GetDeadLettersAsync(queue));
    }

    [Fact]
    public async Task A_message_that_always_fails_is_dead_lettered_with_its_error_then_replayed_and_purged()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("failing");
        var fail = true;
        var handled = new ConcurrentQueue<int>();
        await using (await messaging.ConsumeAsync<Order>(queue, (m, _) =>
        {
            handled.Enqueue(m.Attempt);
            return Volatile.Read(ref fail) ? throw new InvalidOperationException($"cannot handle order {m.Body.Number}") : Task.CompletedTask;
        }))
        {
            var id = await messaging.SendAsync(queue, new Order(42, "x"), new MessageOptions { CorrelationId = "c-42" });
            await Eventually.TrueAsync(async () => (await messaging.GetDeadLettersAsync(queue)).Count == 1, "the dead letter");

            var dead = Assert.Single(await messaging.GetDeadLettersAsync(queue));
            Assert.Equal((id, "c-42", queue, 3), (dead.MessageId, dead.CorrelationId, dead.Queue, dead.Attempts));
            Assert.Equal("InvalidOperationException: cannot handle order 42", dead.Error);
            Assert.NotNull(dead.FailedAt);
            Assert.Contains("\"number\":42", dead.Body, StringComparison.Ordinal);
            Assert.Equal([1, 2, 3], handled);

            Volatile.Write(ref fail, false);
            Assert.Equal(1, await messaging.ReplayDeadLettersAsync(queue));
            await Eventually.TrueAsync(() => handled.Count == 4, "the replayed message to be handled");
            Assert.Equal(1, handled.Last());
            Assert.Empty(await messaging.GetDeadLettersAsync(queue));
        }

        await using (await messaging.ConsumeAsync<int>(queue, (_, _) => throw new InvalidOperationException("again"), new ConsumerOptions { MaxAttempts = 1 }))
        {
            await messaging.SendAsync(queue, 1);
            await messaging.SendAsync(queue, 2);
            await Eventually.TrueAsync(async () => (await messaging.GetDeadLettersAsync(queue)).Count == 2, "two dead letters");
        }

        Assert.Equal(2, await messaging.PurgeDeadLettersAsync(queue));
        Assert.Empty(await messaging.GetDeadLettersAsync(queue));
    }

    [Fact]
    public async Task A_body_that_is_not_the_expected_type_goes_straight_to_the_dead_letter_queue()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("typed");
        var calls = 0;
        await Track(messaging.ConsumeAsync<Order>(queue, (_, _) => { Interlocked.Increment(ref calls); return Task.CompletedTask; }));

        await messaging.SendAsync(queue, "not an order");

        await Eventually.TrueAsync(async () => (await messaging.GetDeadLettersAsync(queue)).Count == 1, "the poison message to be dead-lettered");
        var dead = Assert.Single(await messaging.GetDeadLettersAsync(queue));
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("not valid JSON for Order", dead.Error, StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_message_whose_time_to_live_passed_is_never_delivered()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("ttl");
        await messaging.SendAsync(queue, new Order(1, "stale"), new MessageOptions { TimeToLive = TimeSpan.FromMilliseconds(100) });
        await Eventually.TrueAsync(async () => await messaging.CountAsync(queue) == 0, "the message to expire");
        await messaging.SendAsync(queue, new Order(2, "fresh"), new MessageOptions { TimeToLive = TimeSpan.FromMinutes(5) });

        var received = new ConcurrentQueue<int>();
        await Track(messaging.ConsumeAsync<Order>(queue, (m, _) => { received.Enqueue(m.Body.Number); return Task.CompletedTask; }));

        await Eventually.TrueAsync(() => !received.IsEmpty, "the fresh message");
        await Eventually.TrueAsync(async () => await messaging.CountAsync(queue) == 0, "the queue to be drained");
        Assert.Equal([2], received);
    }

    [Fact]
    public async Task The_trace_runs_from_the_publisher_to_the_consumer()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("traced");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Mindora.Messaging",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var consumedTrace = new TaskCompletionSource<ActivityTraceId>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Track(messaging.ConsumeAsync<Order>(queue, (_, _) => { consumedTrace.TrySetResult(Activity.Current!.TraceId); return Task.CompletedTask; }));

        using var source = new ActivitySource("Mindora.Tests.Messaging");
        using var root = new Activity("upload").Start();
        await messaging.SendAsync(queue, new Order(1, "x"));
        root.Stop();

        Assert.Equal(root.TraceId, await consumedTrace.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await Eventually.TrueAsync(() => spans.Any(s => s.Kind == ActivityKind.Consumer), "the consumer span to end");
        var producer = spans.Single(s => s.Kind == ActivityKind.Producer && s.TraceId == root.TraceId);
        var consumer = spans.Single(s => s.Kind == ActivityKind.Consumer && s.TraceId == root.TraceId);
        Assert.Equal(producer.SpanId, consumer.ParentSpanId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x; DROP TABLE messages")]
    [InlineData("../etc/passwd")]
    [InlineData("amq.gen-abc")]
    [InlineData("Upper_Case")]
    [InlineData("queue\n")]
    public async Task Malformed_queue_names_are_refused_before_anything_is_sent(string name)
    {
        var messaging = Open(await NewAppAsync());

        var error = await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.SendAsync(name, 1));
        Assert.Contains("allowed is", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_outside_the_app_reserved_names_and_bad_routing_are_refused_with_typed_errors()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);

        await Assert.ThrowsAsync<MessagingAccessDeniedException>(() => messaging.SendAsync("otherapp_internal_tasks", 1));
        await Assert.ThrowsAsync<MessagingAccessDeniedException>(() => messaging.ConsumeAsync<int>("otherapp.work", (_, _) => Task.CompletedTask));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.SendAsync($"{app}.dlq.{app}_x", 1));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.SendAsync(new string('a', 300), 1));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.PublishAsync("system_events", "document.#", 1));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.PublishAsync("system_events", "a..b", 1));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.SubscribeAsync<int>("system_events", "audit", "a.#x", (_, _) => Task.CompletedTask));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.SubscribeAsync<int>("system_events", "Bad Name", "#", (_, _) => Task.CompletedTask));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => messaging.SendAsync(messaging.AppQueue("x"), 1, new MessageOptions { Headers = new Dictionary<string, string> { ["mindora-attempt"] = "9" } }));
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => messaging.SendAsync(messaging.AppQueue("x"), new string('x', 2 * 1024 * 1024)));
        await Assert.ThrowsAsync<MindoraValidationException>(() => messaging.SendAsync(messaging.AppQueue("x"), 1, new MessageOptions { TimeToLive = TimeSpan.Zero }));
        Assert.Equal(0, await messaging.CountAsync(messaging.AppQueue("x")));
    }

    [Fact]
    public async Task An_idempotent_handler_runs_once_for_a_message_sent_twice_and_both_copies_are_acked()
    {
        var app = await NewAppAsync();
        var messaging = Open(app);
        var queue = messaging.AppQueue("payments");
        var charged = new ConcurrentQueue<int>();
        var deduplicator = NewDeduplicator(app);
        await Track(messaging.ConsumeAsync(queue, IdempotentHandler.Create<Order>(deduplicator, (m, _) =>
        {
            charged.Enqueue(m.Body.Number);
            return Task.CompletedTask;
        }), new ConsumerOptions { Concurrency = 1, Prefetch = 1 }));

        await messaging.SendAsync(queue, new Order(1, "x"), new MessageOptions { MessageId = "payment-1" });
        await messaging.SendAsync(queue, new Order(1, "x"), new MessageOptions { MessageId = "payment-1" });
        await messaging.SendAsync(queue, new Order(2, "y"), new MessageOptions { MessageId = "payment-2" });

        await Eventually.TrueAsync(() => charged.Count == 2, "both distinct payments");
        await Eventually.TrueAsync(async () => await messaging.CountAsync(queue) == 0, "every copy to be acked");
        Assert.Equal([1, 2], charged);
    }

    [Fact]
    public async Task The_health_probe_succeeds_on_a_working_store()
    {
        var messaging = Open(await NewAppAsync());

        await messaging.ProbeAsync(CancellationToken.None);
    }

    /// <summary>Where an idempotent handler remembers message ids; overridden where a shared store exists.</summary>
    private protected virtual IMessageDeduplicator NewDeduplicator(string app) => new MemoryMessageDeduplicator();

    /// <summary>Options that keep retries short in tests.</summary>
    private protected static MindoraMessagingOptions TestOptions() => new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        MaxAttempts = 3,
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    private protected MindoraMessaging Open(string app)
    {
        var messaging = new MindoraMessaging(OpenProvider(app), app, TestOptions(), null, TimeProvider.System);
        _opened.Add(messaging);
        return messaging;
    }

    private protected async Task Track(Task<IAsyncDisposable> subscription) => _opened.Add(await subscription);
}
