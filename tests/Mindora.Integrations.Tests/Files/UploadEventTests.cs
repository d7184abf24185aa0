using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Files;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Hosting;
using Mindora.Integrations.Tests.Redis;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// <c>Mindora:Files:PublishUploads</c>: a committed upload publishes <c>files.object-uploaded</c>,
/// on the embedded broker and on rabbitmq-server; a broker that cannot take it leaves the upload stored.
/// </summary>
[Collection(SharedServers.Collection)]
public sealed class UploadEventTests(SharedServers servers, TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public Task An_upload_publishes_files_object_uploaded_on_the_embedded_broker() =>
        UploadPublishesAsync("docs", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory()));

    [Fact]
    public async Task An_upload_publishes_files_object_uploaded_on_rabbitmq()
    {
        var app = await servers.CreateAppAsync(SharedServers.NewAppName());
        await UploadPublishesAsync(app.App, app.RabbitMQ);
    }

    [Fact]
    public async Task Without_the_option_nothing_is_published()
    {
        using var host = await StartAsync("docs", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory()), publish: false);
        var received = await SubscribeAsync(host);

        await UploadAsync(host, "quiet.txt");

        // The next message on the same exchange arrives after any upload event would have.
        var messaging = host.Services.GetRequiredService<IMindoraMessaging>();
        await messaging.PublishAsync("system_events", "files.marker", new { marker = true });
        await Eventually.TrueAsync(() => received.Any(m => m.Type == "files.marker"), "the marker");
        Assert.DoesNotContain(received, m => m.Type == UploadEventPublisher.RoutingKey);
    }

    [Fact]
    public async Task A_broker_that_cannot_be_reached_leaves_the_upload_stored()
    {
        using var host = await StartAsync("docs", "amqp://docs:pw@127.0.0.1:1", publish: true, ("Mindora:Messaging:PublishTimeout", "00:00:01"));
        var files = host.Services.GetRequiredService<IMindoraFiles>();

        var info = await UploadAsync(host, "kept.txt");

        Assert.True(await files.ExistsAsync("documents", "kept.txt"));
        Assert.Equal(info.Sha256, (await files.GetInfoAsync("documents", "kept.txt"))!.Sha256);
    }

    private async Task UploadPublishesAsync(string app, string broker)
    {
        using var host = await StartAsync(app, broker, publish: true);
        var received = await SubscribeAsync(host);

        var info = await UploadAsync(host, "reports/q3.txt");

        await Eventually.TrueAsync(() => received.Any(m => m.Type == UploadEventPublisher.RoutingKey), "files.object-uploaded");
        var message = received.Single(m => m.Type == UploadEventPublisher.RoutingKey);
        var body = message.Body;
        Assert.Equal(new ObjectUploadedEvent(app, "documents", "reports/q3.txt", info.VersionId, info.Size, info.ContentType, info.Sha256, info.CreatedAt), body);
        Assert.DoesNotContain("X-Amz-Signature", body.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("http", body.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<IHost> StartAsync(string app, string broker, bool publish, params (string Key, string Value)[] more)
    {
        var builder = HostBuilders.Create(
            [
                ("Mindora:App", app),
                ("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
                ("ConnectionStrings:rabbitmq", broker),
                ("Mindora:Files:PublishUploads", publish ? "true" : "false"),
                .. more,
            ]);
        builder.AddMindoraMessaging();
        builder.AddMindoraFiles();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<ConcurrentQueue<MessageContext<ObjectUploadedEvent>>> SubscribeAsync(IHost host)
    {
        var received = new ConcurrentQueue<MessageContext<ObjectUploadedEvent>>();
        var subscription = await host.Services.GetRequiredService<IMindoraMessaging>().SubscribeAsync<ObjectUploadedEvent>(
            "system_events", "upload-test", "files.*", (m, _) => { received.Enqueue(m); return Task.CompletedTask; }, new ConsumerOptions { Transient = true });
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => subscription.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return received;
    }

    private static async Task<ObjectInfo> UploadAsync(IHost host, string key)
    {
        var files = host.Services.GetRequiredService<IMindoraFiles>();
        await files.EnsureBucketAsync("documents");
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("quarterly numbers"));
        return await files.UploadAsync("documents", key, content);
    }
}
