using Mindora.Integrations.Cache;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Messaging;

/// <summary>The messaging suite on the embedded store: every instance opens the same directory, as the processes of one machine do.</summary>
public sealed class EmbeddedMessagingTests(TempDirectory temp) : MessagingSuite, IClassFixture<TempDirectory>
{
    private readonly string _directory = temp.NewStoreDirectory();

    [Fact]
    public async Task Messages_claimed_by_a_consumer_that_stops_mid_handler_go_to_the_next_consumer()
    {
        var app = await NewAppAsync();
        var first = Open(app);
        var queue = first.AppQueue("handover");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = await first.ConsumeAsync<int>(queue, async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await first.SendAsync(queue, 5);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await stopping.DisposeAsync();
        var handled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Track(Open(app).ConsumeAsync<int>(queue, (m, _) => { handled.TrySetResult(m.Attempt); return Task.CompletedTask; }));

        Assert.Equal(1, await handled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    protected override Task<string> NewAppAsync() => Task.FromResult("app-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Ids are remembered in the embedded cache, which every process of the machine shares.</summary>
    private protected override IMessageDeduplicator NewDeduplicator(string app) =>
        new CacheMessageDeduplicator(new MindoraCache(new EmbeddedCacheProvider(Path.Combine(_directory, "cache"), new MindoraCacheOptions(), TimeProvider.System), app, new MindoraCacheOptions(), null, TimeProvider.System));

    private protected override IMessagingProvider OpenProvider(string app) => new EmbeddedMessagingProvider(_directory, TestOptions(), TimeProvider.System);
}
