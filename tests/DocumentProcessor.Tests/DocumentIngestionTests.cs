using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Search;

namespace DocumentProcessor.Tests;

/// <summary>Upload → worker (the SDK's engine, in this process) → indexed → search, through the API.</summary>
public sealed class DocumentIngestionTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(20);
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Uploaded_text_is_indexed_and_search_marks_the_matched_words()
    {
        var id = await UploadAsync("Turbine report\nThe zephyr turbines ran all winter without a fault.", "turbines.txt");

        var document = await WaitUntilFinishedAsync(id);

        Assert.Equal("indexed", document.GetProperty("status").GetString());
        Assert.Equal("Turbine report", document.GetProperty("title").GetString());
        var hit = await FindSingleHitAsync("zephyr turbines", id);
        var text = hit.GetProperty("text").GetString()!;
        Assert.Contains("<mark>zephyr</mark>", text, StringComparison.Ordinal);
        Assert.Contains("<mark>turbines</mark>", text, StringComparison.Ordinal);
        Assert.Contains("winter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark>winter</mark>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_publishes_document_uploaded_and_indexing_publishes_document_indexed()
    {
        var messaging = fixture.Factory.Services.GetRequiredService<IMindoraMessaging>();
        var events = new System.Collections.Concurrent.ConcurrentQueue<(string Key, DocumentEvent Event)>();
        await using var uploads = await messaging.SubscribeAsync<DocumentEvent>("system_events", "test-uploads", DocumentEvents.Uploaded, (m, _) => { events.Enqueue((m.Type, m.Body)); return Task.CompletedTask; });
        await using var notifications = await messaging.SubscribeAsync<DocumentEvent>("user_notifications", "test-notifications", "document.*", (m, _) => { events.Enqueue((m.Type, m.Body)); return Task.CompletedTask; });

        var id = await UploadAsync("Evented text about lighthouses.", "lighthouses.txt");
        await WaitUntilFinishedAsync(id);

        var deadline = DateTime.UtcNow + ProcessingTimeout;
        while (events.Count(e => e.Event.DocumentId == id) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(
            [(DocumentEvents.Uploaded, new DocumentEvent(id, "queued")), (DocumentEvents.Indexed, new DocumentEvent(id, "indexed"))],
            events.Where(e => e.Event.DocumentId == id).OrderBy(e => e.Key == DocumentEvents.Indexed));
    }

    [Fact]
    public async Task Search_matches_words_regardless_of_case_and_order()
    {
        var id = await UploadAsync("Notes on the Quokka census held on Rottnest island.", "census.txt");
        await WaitUntilFinishedAsync(id);

        var hit = await FindSingleHitAsync("ROTTNEST quokka", id);

        Assert.Contains("<mark>Quokka</mark>", hit.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<mark>Rottnest</mark>", hit.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_upload_gets_its_first_heading_as_title()
    {
        var id = await UploadAsync("Intro line before the heading\n\n# Falcon *Migration* Notes\n\nThe **falcons** left in [March](https://example.com).\n\n## Later heading\n", "falcons.md");

        var document = await WaitUntilFinishedAsync(id);

        Assert.Equal("indexed", document.GetProperty("status").GetString());
        Assert.Equal("Falcon Migration Notes", document.GetProperty("title").GetString());
        // Every chunk carries the document's title; the one under the heading has it as its section.
        var hits = (await SearchAsync("falcon")).GetProperty("hits").EnumerateArray().ToList();
        Assert.All(hits, h => Assert.Equal(id, h.GetProperty("documentId").GetString()));
        Assert.All(hits, h => Assert.Equal("<mark>Falcon</mark> Migration Notes", h.GetProperty("title").GetString()));
        var hit = Assert.Single(hits, h => h.GetProperty("text").GetString()!.Contains("falcons", StringComparison.Ordinal));
        Assert.Equal("Falcon Migration Notes", hit.GetProperty("section").GetString());
        var text = hit.GetProperty("text").GetString()!;
        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("https://example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_in_a_document_is_returned_encoded_with_only_mark_tags_as_markup()
    {
        var id = await UploadAsync(
            "<img src=x onerror=alert(1)> gryphon title\n<script>alert('gryphon')</script> & \"quoted\" <b>gryphon</b> text",
            "hostile.txt");
        await WaitUntilFinishedAsync(id);

        var hit = await FindSingleHitAsync("gryphon", id);

        var text = hit.GetProperty("text").GetString()!;
        var title = hit.GetProperty("title").GetString()!;
        Assert.Contains("&lt;script&gt;", text, StringComparison.Ordinal);
        Assert.Contains("<mark>gryphon</mark>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;img", title, StringComparison.Ordinal);
        foreach (var html in new[] { text, title })
        {
            var withoutMarks = html.Replace("<mark>", string.Empty, StringComparison.Ordinal).Replace("</mark>", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain('<', withoutMarks);
            Assert.DoesNotContain('>', withoutMarks);
            Assert.DoesNotContain('"', withoutMarks);
        }
    }

    [Fact]
    public async Task Document_without_text_ends_failed_with_an_error()
    {
        var id = await UploadAsync(" \n\t\n ", "blank.txt");

        var document = await WaitUntilFinishedAsync(id);

        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Search_for_words_no_document_has_finds_nothing()
    {
        var id = await UploadAsync("Only ordinary words in here.", "ordinary.txt");
        await WaitUntilFinishedAsync(id);

        var result = await SearchAsync("ordinary xylophonist");

        Assert.Empty(result.GetProperty("hits").EnumerateArray());
    }

    [Fact]
    public async Task Processing_results_and_an_audit_row_per_step_are_kept_with_the_document()
    {
        const string text = "Heron census\nNine herons counted at the weir.";
        var id = await UploadAsync(text, "herons.txt");

        var document = await WaitUntilFinishedAsync(id);
        var history = await _client.GetFromJsonAsync<JsonElement>(new Uri($"/documents/{id}/history", UriKind.Relative));

        Assert.Equal("indexed", document.GetProperty("status").GetString());
        Assert.Equal(text.Length, document.GetProperty("characters").GetInt32());
        Assert.Equal(JsonValueKind.Null, document.GetProperty("pages").ValueKind);
        var rows = history.EnumerateArray().ToList();
        Assert.Equal(1, document.GetProperty("chunks").GetInt32());
        Assert.Equal("""{"extract":"done","partition":"done","embed":"done","save":"done"}""", document.GetProperty("steps").GetRawText());

        // Each step marks itself running, then done: extract (with partition), embed, save.
        Assert.Equal(["insert", "update", "update", "update", "update", "update", "update", "update"], rows.Select(r => r.GetProperty("operation").GetString()));
        Assert.Equal("Processing", rows[1].GetProperty("changes").GetProperty("Status").GetProperty("new").GetString());
        Assert.Equal("Heron census", rows[2].GetProperty("changes").GetProperty("Title").GetProperty("new").GetString());
        Assert.Equal(text.Length, rows[2].GetProperty("changes").GetProperty("Characters").GetProperty("new").GetInt32());
        Assert.Equal(1, rows[3].GetProperty("changes").GetProperty("Chunks").GetProperty("new").GetInt32());
        Assert.Equal("Indexed", rows[7].GetProperty("changes").GetProperty("Status").GetProperty("new").GetString());
    }

    [Fact]
    public async Task Search_results_are_served_from_the_cache_until_the_worker_indexes_a_document()
    {
        var first = await UploadAsync("Ocelot tracks by the river.", "ocelot-river.txt");
        await WaitUntilFinishedAsync(first);
        Assert.Equal([first], HitIds(await SearchAsync("ocelot")));
        var cache = fixture.Factory.Services.GetRequiredService<IMindoraCache>();
        var key = SearchApi.CacheKey("ocelot", "keyword", null, null, 10);
        Assert.NotEqual(JsonValueKind.Undefined, (await cache.GetAsync<JsonElement>(key)).ValueKind);

        // Indexed behind the worker's back, so nothing drops the cache: the same search is answered from it.
        var hidden = await HiddenChunks.SaveAsync(fixture.Factory.Services, "Hidden", "An ocelot nobody announced.");
        Assert.Equal([first], HitIds(await SearchAsync("ocelot")));

        // The worker drops cached results once it has indexed a document: the next search sees all three.
        var second = await UploadAsync("Ocelot seen again near the road.", "ocelot-road.txt");
        await WaitUntilFinishedAsync(second);
        Assert.Equal(JsonValueKind.Undefined, (await cache.GetAsync<JsonElement>(key)).ValueKind);
        Assert.Equal(new[] { first, hidden, second }.Order(StringComparer.Ordinal), HitIds(await SearchAsync("ocelot")).Order(StringComparer.Ordinal));
    }

    private static List<string> HitIds(JsonElement result) =>
        result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("documentId").GetString()!).ToList();

    private async Task<string> UploadAsync(string text, string fileName)
    {
        var accepted = await _client.UploadAcceptedAsync(text, fileName);
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        return accepted.GetProperty("id").GetString()!;
    }

    private Task<JsonElement> WaitUntilFinishedAsync(string id) =>
        Http.PollAsync(
            async () =>
            {
                using var response = await _client.GetAsync($"/documents/{id}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            },
            d => d.GetProperty("status").GetString() is "indexed" or "failed",
            ProcessingTimeout,
            $"document {id} to be indexed or failed");

    private async Task<JsonElement> SearchAsync(string q)
    {
        using var response = await _client.GetAsync($"/search?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> FindSingleHitAsync(string q, string id)
    {
        var result = await SearchAsync(q);
        var hit = Assert.Single(result.GetProperty("hits").EnumerateArray());
        Assert.Equal(id, hit.GetProperty("documentId").GetString());
        return hit;
    }
}
