using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tests.Redis;

/// <summary>The RESP client against a real server; one subclass per server (redis-server, Garnet).</summary>
public abstract class RedisClientSuite(RedisServerFixture server)
{
    protected RedisServerFixture Server => server;

    [Fact]
    public async Task Many_concurrent_callers_on_one_connection_each_get_their_own_reply()
    {
        await using var client = server.CreateClient();
        var prefix = Guid.NewGuid().ToString("N");

        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(async () =>
        {
            await client.ExecuteAsync(RedisRequest.Create("SET", $"{prefix}:{i}", $"value-{i}"), CancellationToken.None);
            var reply = await client.ExecuteAsync(RedisRequest.Create("GET", $"{prefix}:{i}"), CancellationToken.None);
            Assert.Equal($"value-{i}", reply.AsString());
            Assert.Equal(i, (await client.ExecuteAsync(RedisRequest.Create("INCRBY", $"{prefix}:n:{i}", i), CancellationToken.None)).AsInteger());
        })));
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData(",protocol=resp2", 2)]
    public async Task Speaks_RESP3_when_the_server_has_HELLO_and_RESP2_when_asked(string options, int protocol)
    {
        await using var client = server.CreateClient(options);
        var key = Guid.NewGuid().ToString("N");

        await client.ExecuteAsync(RedisRequest.Create("HSET", key, "a", "1", "b", "2"), CancellationToken.None);
        var all = await client.ExecuteAsync(RedisRequest.Create("HGETALL", key), CancellationToken.None);
        var missing = await client.ExecuteAsync(RedisRequest.Create("GET", key + ":missing"), CancellationToken.None);

        Assert.Equal(protocol, await client.GetProtocolAsync(0, CancellationToken.None));
        Assert.Equal(protocol == 3 ? RespKind.Map : RespKind.Array, all.Kind);
        Assert.Equal(["a", "1", "b", "2"], Pairs(all));
        Assert.True(missing.IsNull);
    }

    [Fact]
    public async Task A_wrong_password_is_a_typed_unavailable_error_carrying_the_server_refusal()
    {
        await using var client = new RedisClient(RedisConnectionSettings.Parse($"127.0.0.1:{server.Port},password=not-the-password", "test"));

        var error = await Assert.ThrowsAsync<MindoraUnavailableException>(() => client.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None));

        Assert.IsType<RedisServerException>(error.InnerException);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_replies_are_typed_and_leave_the_connection_usable()
    {
        await using var client = server.CreateClient();
        var key = Guid.NewGuid().ToString("N");
        await client.ExecuteAsync(RedisRequest.Create("SET", key, "text"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("INCR", key), CancellationToken.None));

        Assert.Equal("INCR", error.Command);
        Assert.Equal("text", (await client.ExecuteAsync(RedisRequest.Create("GET", key), CancellationToken.None)).AsString());
    }

    [Fact]
    public async Task Databases_selected_by_the_connection_string_or_per_call_hold_separate_keys()
    {
        await using var onTwo = server.CreateClient(",defaultDatabase=2");
        await using var client = server.CreateClient();
        var key = Guid.NewGuid().ToString("N");

        await onTwo.ExecuteAsync(RedisRequest.Create("SET", key, "in-two"), CancellationToken.None);

        Assert.Equal("in-two", (await client.ExecuteAsync(2, RedisRequest.Create("GET", key), CancellationToken.None)).AsString());
        Assert.True((await client.ExecuteAsync(0, RedisRequest.Create("GET", key), CancellationToken.None)).IsNull);
    }

    [Fact]
    public async Task Subscribers_get_published_messages_until_they_unsubscribe()
    {
        await using var client = server.CreateClient();
        await using var publisher = server.CreateClient();
        var channel = "news:" + Guid.NewGuid().ToString("N");
        var received = new ConcurrentQueue<string>();

        var subscription = await client.SubscribeAsync(channel, m => received.Enqueue(Encoding.UTF8.GetString(m)), CancellationToken.None);
        await publisher.ExecuteAsync(RedisRequest.Create("PUBLISH", channel, "first"), CancellationToken.None);
        await publisher.ExecuteAsync(RedisRequest.Create("PUBLISH", channel + ":other", "elsewhere"), CancellationToken.None);
        await publisher.ExecuteAsync(RedisRequest.Create("PUBLISH", channel, "second"), CancellationToken.None);
        await Eventually.TrueAsync(() => received.Count == 2, "two messages");
        await subscription.DisposeAsync();
        await Eventually.TrueAsync(
            async () => (await publisher.ExecuteAsync(RedisRequest.Create("PUBLISH", channel, "after"), CancellationToken.None)).AsInteger() == 0,
            "the server to drop the subscription");

        Assert.Equal(["first", "second"], received);
    }

    [Fact]
    public async Task A_command_past_its_timeout_fails_with_a_typed_error_and_later_replies_stay_matched()
    {
        await using var client = server.CreateClient(",asyncTimeout=200");
        var key = Guid.NewGuid().ToString("N");
        await client.ExecuteAsync(RedisRequest.Create("SET", key, "kept"), CancellationToken.None);

        // BLPOP on the shared connection holds every reply behind it for 1 s.
        var error = await Assert.ThrowsAsync<MindoraUnavailableException>(() => client.ExecuteAsync(RedisRequest.Create("BLPOP", key + ":empty", 1), CancellationToken.None));

        Assert.IsType<TimeoutException>(error.InnerException);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await client.ExecuteAsync(RedisRequest.Create("GET", key), CancellationToken.None)).AsString() == "kept";
                }
                catch (MindoraUnavailableException)
                {
                    return false; // still behind the BLPOP
                }
            },
            "GET to answer with its own value after the blocked reply");
    }

    [Fact]
    public async Task Cancelling_releases_the_caller_at_once_and_the_connection_keeps_matching_replies()
    {
        await using var client = server.CreateClient();
        var key = Guid.NewGuid().ToString("N");
        await client.ExecuteAsync(RedisRequest.Create("SET", key, "mine"), CancellationToken.None);
        var blocked = client.ExecuteAsync(RedisRequest.Create("BLPOP", key + ":empty", "0.5"), CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var cancelled = client.ExecuteAsync(RedisRequest.Create("GET", key), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(blocked.IsCompleted);
        Assert.True((await blocked).IsNull);
        Assert.Equal("mine", (await client.ExecuteAsync(RedisRequest.Create("GET", key), CancellationToken.None)).AsString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync(RedisRequest.Create("GET", key), cancel.Token));
    }

    [Fact]
    public async Task Blocking_commands_run_on_a_dedicated_connection_and_can_be_cancelled()
    {
        await using var client = server.CreateClient();
        var list = Guid.NewGuid().ToString("N");

        var popped = client.ExecuteBlockingAsync(0, RedisRequest.Create("BLPOP", list, 5), TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None);
        Assert.False(popped.IsCompleted);
        await client.ExecuteAsync(RedisRequest.Create("LPUSH", list, "job"), CancellationToken.None);
        var reply = await popped;

        Assert.Equal([list, "job"], reply.Items.Select(i => i.AsString()));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteBlockingAsync(0, RedisRequest.Create("BLPOP", list, 5), TimeSpan.FromSeconds(5), cancel.Token));
        Assert.Equal("PONG", (await client.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None)).AsString());
    }

    [Fact]
    public async Task Each_command_is_one_client_span_named_after_the_command_without_arguments()
    {
        var spans = new ConcurrentQueue<Activity>();
        var marker = Guid.NewGuid().ToString("N");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RedisTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var client = server.CreateClient();

        await client.ExecuteAsync(RedisRequest.Create("SET", "key-" + marker, "secret-" + marker), CancellationToken.None);
        await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync(RedisRequest.Create("INCR", "key-" + marker), CancellationToken.None));

        var set = Assert.Single(spans, s => s.OperationName == "SET" && Equals(s.GetTagItem("server.port"), server.Port));
        Assert.Equal(ActivityKind.Client, set.Kind);
        Assert.Equal("redis", set.GetTagItem("db.system"));
        Assert.Equal("SET", set.GetTagItem("db.operation.name"));
        var incr = Assert.Single(spans, s => s.OperationName == "INCR" && Equals(s.GetTagItem("server.port"), server.Port));
        Assert.Equal(ActivityStatusCode.Error, incr.Status);
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains(marker, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_server_restart_fails_commands_in_flight_then_the_client_reconnects_and_resubscribes()
    {
        await using var client = server.CreateClient(",connectTimeout=3000");
        var channel = "restart:" + Guid.NewGuid().ToString("N");
        var received = new ConcurrentQueue<string>();
        await using var subscription = await client.SubscribeAsync(channel, m => received.Enqueue(Encoding.UTF8.GetString(m)), CancellationToken.None);
        var inFlight = client.ExecuteAsync(RedisRequest.Create("BLPOP", channel + ":never", 30), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<Exception>();
        var traffic = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.ExecuteAsync(RedisRequest.Create("INCR", $"{channel}:{i}"), CancellationToken.None);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                    await Task.Delay(10);
                }
            }
        })).ToArray();

        await server.RestartAsync();
        var lost = await Assert.ThrowsAsync<MindoraUnavailableException>(() => inFlight);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await client.ExecuteAsync(RedisRequest.Create("PING"), CancellationToken.None)).AsString() == "PONG";
                }
                catch (MindoraUnavailableException)
                {
                    return false;
                }
            },
            "the client to reconnect");
        await stop.CancelAsync();
        await Task.WhenAll(traffic);
        await Eventually.TrueAsync(
            async () =>
            {
                await client.ExecuteAsync(RedisRequest.Create("PUBLISH", channel, "back"), CancellationToken.None);
                return received.Contains("back");
            },
            "the subscription to come back after the restart");

        Assert.Contains("lost", lost.Message, StringComparison.Ordinal);
        Assert.All(failures, e => Assert.IsType<MindoraUnavailableException>(e));
        Assert.Equal(1, (await client.ExecuteAsync(RedisRequest.Create("INCR", channel + ":after"), CancellationToken.None)).AsInteger());
    }

    private static string[] Pairs(RespValue reply)
    {
        // RESP3 map order is the server's; compare as sorted pairs.
        var items = reply.Items.Select(i => i.AsString()!).ToArray();
        return [.. Enumerable.Range(0, items.Length / 2).Select(i => (items[2 * i], items[(2 * i) + 1])).OrderBy(p => p.Item1, StringComparer.Ordinal).SelectMany(p => new[] { p.Item1, p.Item2 })];
    }
}
