using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task Copies_prefix_copies_and_restores_publish_the_same_event_with_their_cause()
    {
        using var host = await StartAsync("docs", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory()), publish: true);
        var received = await SubscribeAsync(host);
        var files = host.Services.GetRequiredService<IMindoraFiles>();
        var first = await UploadAsync(host, "a.txt");
        var second = await files.UploadAsync("documents", "a.txt", new MemoryStream("second"u8.ToArray()));

        var copy = await files.CopyAsync("documents", "a.txt", "documents", "copy/a.txt");
        await files.CopyPrefixAsync("documents", "copy/", "documents", "archive/");
        var restored = await files.RestoreVersionAsync("documents", "a.txt", first.VersionId);

        await Eventually.TrueAsync(() => received.Count(m => m.Type == UploadEventPublisher.RoutingKey) == 5, "five files.object-uploaded events");
        var events = received.Where(m => m.Type == UploadEventPublisher.RoutingKey).Select(m => m.Body).ToList();
        Assert.Equal(
            new[] { ObjectUploadCauses.Upload, ObjectUploadCauses.Upload, ObjectUploadCauses.Copy, ObjectUploadCauses.Copy, ObjectUploadCauses.Restore }.Order(StringComparer.Ordinal),
            events.Select(e => e.Cause).Order(StringComparer.Ordinal));
        Assert.Contains(events, e => e is { Key: "copy/a.txt", Cause: ObjectUploadCauses.Copy } && e.VersionId == copy.VersionId && e.Sha256 == second.Sha256);
        Assert.Contains(events, e => e is { Key: "archive/a.txt", Cause: ObjectUploadCauses.Copy });
        Assert.Contains(events, e => e is { Key: "a.txt", Cause: ObjectUploadCauses.Restore } && e.VersionId == restored.VersionId && e.Sha256 == first.Sha256);
    }

    [Fact]
    public async Task A_put_to_an_embedded_signed_url_publishes_with_cause_signed_put()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(
        [
            new("Mindora:App", "docs"),
            new("ConnectionStrings:files", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            new("ConnectionStrings:rabbitmq", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            new("Mindora:Files:PublishUploads", "true"),
            new("Mindora:Files:SigningKey", "test-signing-key-of-at-least-32-characters"),
        ]);
        builder.AddMindoraMessaging();
        builder.AddMindoraFiles();
        await using var app = builder.Build();
        app.MapMindoraFiles();
        await app.StartAsync();
        var received = await SubscribeAsync(app);
        var files = app.Services.GetRequiredService<IMindoraFiles>();
        await files.EnsureBucketAsync("documents");
        var url = await files.GetSignedUrlAsync("documents", "inbox/scan.pdf", new SignedUrlOptions { Method = SignedUrlMethod.Put });

        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
        using var response = await http.PutAsync(url, new ByteArrayContent("%PDF-1.7 scanned"u8.ToArray()));
        response.EnsureSuccessStatusCode();

        await Eventually.TrueAsync(() => received.Any(m => m.Type == UploadEventPublisher.RoutingKey), "files.object-uploaded");
        var body = received.Single(m => m.Type == UploadEventPublisher.RoutingKey).Body;
        Assert.Equal(("inbox/scan.pdf", ObjectUploadCauses.SignedPut, "application/pdf", 16L), (body.Key, body.Cause, body.ContentType, body.Size));
        Assert.Equal((await files.GetInfoAsync("documents", "inbox/scan.pdf"))!.VersionId, body.VersionId);
        await app.StopAsync();
    }

    private async Task UploadPublishesAsync(string app, string broker)
    {
        using var host = await StartAsync(app, broker, publish: true);
        var received = await SubscribeAsync(host);

        var info = await UploadAsync(host, "reports/q3.txt");

        await Eventually.TrueAsync(() => received.Any(m => m.Type == UploadEventPublisher.RoutingKey), "files.object-uploaded");
        var message = received.Single(m => m.Type == UploadEventPublisher.RoutingKey);
        var body = message.Body;
        Assert.Equal(new ObjectUploadedEvent(app, "documents", "reports/q3.txt", info.VersionId, info.Size, info.ContentType, info.Sha256, info.CreatedAt, ObjectUploadCauses.Upload), body);
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
