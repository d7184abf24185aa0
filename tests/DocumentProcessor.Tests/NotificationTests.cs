using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Messaging;
using Mindora.Testing;

namespace DocumentProcessor.Tests;

/// <summary>
/// <c>GET /notifications</c> end to end: two API instances and a worker on the same stores; an
/// upload is indexed by the worker and both instances stream <c>document.indexed</c> with its id.
/// Run on the embedded broker and on rabbitmq-server.
/// </summary>
public abstract class NotificationSuite : IAsyncLifetime
{
    private DocumentWorkerHost? _worker;

    protected TestStore Store { get; } = new();

    protected DocumentApiFactory First { get; private set; } = null!;

    protected DocumentApiFactory Second { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Notifications:KeepAliveInterval"] = "00:00:01" };
        // Real Kestrel servers: the streams go over sockets, as a browser's would, and a client that
        // disconnects aborts its request.
        First = new DocumentApiFactory(Store, settings);
        Second = new DocumentApiFactory(Store, settings);
        First.UseKestrel(0);
        Second.UseKestrel(0);
        First.StartServer();
        Second.StartServer();
        _worker = await DocumentWorkerHost.StartAsync(Store);
    }

    public virtual async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
        await First.DisposeAsync();
        await Second.DisposeAsync();
        Store.Dispose();
    }

    [Fact]
    public async Task Upload_then_every_api_instance_streams_document_indexed_with_the_document_id()
    {
        using var firstClient = First.CreateClient();
        using var secondClient = Second.CreateClient();
        await using var first = await SseClient.ConnectAsync(firstClient);
        await using var second = await SseClient.ConnectAsync(secondClient);

        var id = (await firstClient.UploadAcceptedAsync("Streamed notes about kestrels.", "kestrels.txt")).GetProperty("id").GetString()!;

        foreach (var stream in new[] { first, second })
        {
            await stream.WaitForAsync(s => s.Events.Any(e => e.Event == DocumentEvents.Indexed && DocumentId(e) == id), $"document.indexed for {id}");
            var indexed = stream.Events.Single(e => e.Event == DocumentEvents.Indexed && DocumentId(e) == id);
            Assert.Equal("text/event-stream", stream.ContentType);
            Assert.False(string.IsNullOrEmpty(indexed.Id));
            Assert.Equal("indexed", JsonDocument.Parse(indexed.Data).RootElement.GetProperty("status").GetString());
        }

        // Both instances forwarded the same message: one event, one id.
        Assert.Equal(first.Events.Single(e => DocumentId(e) == id).Id, second.Events.Single(e => DocumentId(e) == id).Id);
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_replays_the_events_after_it_and_an_unknown_id_is_ignored()
    {
        using var client = First.CreateClient();
        await using (var live = await SseClient.ConnectAsync(client))
        {
            var messaging = First.Services.GetRequiredService<IMindoraMessaging>();
            foreach (var document in new[] { "d-one", "d-two", "d-three" })
            {
                await messaging.PublishAsync(NotificationHub.Exchange, DocumentEvents.Indexed, new DocumentEvent(document, "indexed"));
            }

            await live.WaitForAsync(s => s.Events.Count(e => e.Event == DocumentEvents.Indexed) == 3, "the three events");
            var firstId = live.Events.First().Id;

            await using var resumed = await SseClient.ConnectAsync(client, lastEventId: firstId);
            await resumed.WaitForAsync(s => s.Events.Count == 2, "the two events after the first");
            Assert.Equal(["d-two", "d-three"], resumed.Events.Select(DocumentId));
        }

        await using var unknown = await SseClient.ConnectAsync(client, lastEventId: "no-such-id<script>../");
        Assert.Empty(unknown.Events);
    }

    [Fact]
    public async Task An_idle_stream_gets_keep_alive_comments_and_a_closed_one_is_unregistered()
    {
        var hub = First.Services.GetRequiredService<NotificationHub>();
        using var client = First.CreateClient();
        var before = hub.ConnectionCount;
        var stream = await SseClient.ConnectAsync(client);
        await stream.WaitForAsync(s => s.Comments.Contains("keep-alive"), "a keep-alive comment");
        Assert.Equal(before + 1, hub.ConnectionCount);

        await stream.DisposeAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hub.ConnectionCount != before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(before, hub.ConnectionCount);
    }

    private static string? DocumentId(SseEvent e) =>
        JsonDocument.Parse(e.Data).RootElement.TryGetProperty("documentId", out var id) ? id.GetString() : null;
}

/// <summary>On the embedded broker (a SQLite file shared by the API instances and the worker).</summary>
public sealed class EmbeddedNotificationTests : NotificationSuite;

/// <summary>On rabbitmq-server, connected as the broker user the AppHost provisions for app <c>docs</c>.</summary>
[Collection(SharedServers.Collection)]
public sealed class RabbitNotificationTests(SharedServers servers) : NotificationSuite
{
    public override async Task InitializeAsync()
    {
        if (servers.Unavailable is not null)
        {
            throw new InvalidOperationException(servers.Unavailable);
        }

        // Each SharedServers fixture runs its own broker, so the sample's fixed app name is free here.
        Store.Overrides["ConnectionStrings:rabbitmq"] = (await servers.CreateAppAsync("docs")).RabbitMQ;
        await base.InitializeAsync();
    }
}

/// <summary>The per-browser buffer and the wire format, without a server.</summary>
public sealed class NotificationHubTests
{
    [Fact]
    public void A_slow_browser_keeps_only_the_newest_events_and_learns_how_many_were_dropped()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        using var hub = new NotificationHub(services, Options.Create(new NotificationOptions { BufferSize = 2 }), NullLogger<NotificationHub>.Instance);
        using var connection = hub.Connect(null, out var missed);

        for (var i = 0; i < 5; i++)
        {
            hub.Broadcast(new Notification($"m{i}", DocumentEvents.Indexed, $"d{i}", "indexed", DateTimeOffset.UnixEpoch));
        }

        var buffered = new List<string>();
        while (connection.Reader.TryRead(out var n))
        {
            buffered.Add(n.DocumentId);
        }

        Assert.Empty(missed);
        Assert.Equal(["d3", "d4"], buffered);
        Assert.Equal(3, connection.TakeDropped());
        Assert.Equal(0, connection.TakeDropped());
        Assert.False(hub.Enabled);
    }

    [Fact]
    public void An_event_is_written_with_its_id_name_and_json_data()
    {
        var text = NotificationEndpoint.Format(new Notification("abc123", "document.indexed", "doc-1", "indexed", DateTimeOffset.Parse("2026-11-22T07:00:00Z", CultureInfo.InvariantCulture)));

        Assert.Equal("id: abc123\nevent: document.indexed\ndata: {\"documentId\":\"doc-1\",\"status\":\"indexed\",\"at\":\"2026-11-22T07:00:00+00:00\"}\n\n", text);
    }

    [Fact]
    public async Task Without_messaging_the_stream_answers_503_with_a_problem()
    {
        using var store = new TestStore();
        store.Overrides["ConnectionStrings:rabbitmq"] = null;
        await using var factory = new DocumentApiFactory(store);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/notifications");

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("messaging", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
