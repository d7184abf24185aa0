using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;
using Mindora.Integrations.Vectors;

namespace DocumentProcessor.Tests;

/// <summary>GET /search in its three modes with filters, POST /ask without a model, DELETE /documents/{id}: upload → worker → API.</summary>
public sealed class SearchAndAskTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("keyword")]
    [InlineData("semantic")]
    [InlineData("hybrid")]
    [InlineData("HYBRID")]
    public async Task Each_mode_finds_the_chunk_with_its_document_title_section_and_highlights(string mode)
    {
        var id = await UploadAsync("# Kiln manual\n\nIntro to the kiln.\n\n## Firing schedule\n\nThe stoneware firing peaks at 1280 degrees.\n", $"kiln-{mode}.md");

        var result = await SearchAsync($"stoneware firing&mode={mode}&documentId={id}");

        Assert.Equal(mode.ToLowerInvariant(), result.GetProperty("mode").GetString());
        var hit = result.GetProperty("hits")[0];
        Assert.Equal(id, hit.GetProperty("documentId").GetString());
        Assert.Equal("Kiln manual › Firing schedule", hit.GetProperty("section").GetString());
        Assert.Equal(1, hit.GetProperty("chunk").GetInt32());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("page").ValueKind);
        Assert.Equal("Kiln manual", hit.GetProperty("title").GetString());
        Assert.Contains("<mark>stoneware</mark>", hit.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_given_at_upload_filter_search_and_ask()
    {
        var tagged = await UploadAsync("Basalt columns form as lava cools.", "basalt-tagged.txt", tags: "Geology, Iceland");
        var untagged = await UploadAsync("Basalt columns in a quarry.", "basalt-plain.txt");

        var document = await _client.GetFromJsonAsync<JsonElement>(new Uri($"/documents/{tagged}", UriKind.Relative));
        Assert.Equal(["geology", "iceland"], document.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        foreach (var mode in new[] { "keyword", "semantic", "hybrid" })
        {
            Assert.Equal([tagged], HitIds(await SearchAsync($"basalt columns&mode={mode}&tag=iceland")));
        }

        Assert.Equal(new[] { tagged, untagged }.Order(StringComparer.Ordinal), HitIds(await SearchAsync("basalt columns")).Order(StringComparer.Ordinal));
        var answer = await AskAsync(new { question = "How do basalt columns form?", tag = "geology" });
        Assert.Equal([tagged], answer.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("documentId").GetString()));
    }

    [Theory]
    [InlineData("/search?q=x&mode=fuzzy", "keyword, semantic, hybrid")]
    [InlineData("/search?q=x&mode=1", "keyword, semantic, hybrid")]
    [InlineData("/search?q=x&documentId=../../etc", "32 lowercase hex")]
    [InlineData("/search?q=x&tag=a%20b", "letters, digits")]
    public async Task Bad_search_parameters_are_a_400_problem_saying_what_is_allowed(string url, string allowed)
    {
        using var response = await _client.GetAsync(url);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(allowed, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_without_a_chat_model_answers_with_the_best_passages_saying_so_and_cites_them()
    {
        var id = await UploadAsync("Lichen survey\nThe lichen on the north wall grows two millimetres a year.", "lichen.txt");

        var answer = await AskAsync(new { question = "How fast does the lichen grow?" });

        var text = answer.GetProperty("answer").GetString()!;
        Assert.StartsWith(AskApi.NoModelPreamble, text, StringComparison.Ordinal);
        Assert.Contains("two millimetres a year", text, StringComparison.Ordinal);
        Assert.False(answer.GetProperty("fromModel").GetBoolean());
        var citation = answer.GetProperty("citations").EnumerateArray().First(c => c.GetProperty("documentId").GetString() == id);
        Assert.Equal(0, citation.GetProperty("chunk").GetInt32());
        Assert.Equal(JsonValueKind.Null, citation.GetProperty("page").ValueKind);
    }

    [Fact]
    public async Task Ask_that_nothing_matches_says_so_without_citations()
    {
        var answer = await AskAsync(new { question = "qwertyuiop zxcvbnm" });

        Assert.Equal(AskApi.NothingFound, answer.GetProperty("answer").GetString());
        Assert.Empty(answer.GetProperty("citations").EnumerateArray());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"question\":\"   \"}")]
    [InlineData("{\"question\":\"x\",\"documentId\":\"'; drop table documents;--\"}")]
    public async Task Ask_without_a_usable_question_is_a_400_problem(string body)
    {
        using var response = await _client.PostAsync(new Uri("/ask", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Ask_with_a_question_over_the_limit_is_a_400_problem()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/ask", UriKind.Relative), new { question = new string('q', AskApi.MaxQuestionLength + 1) });

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"{AskApi.MaxQuestionLength}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_record_file_chunks_and_vectors()
    {
        var id = await UploadAsync("Ptarmigan plumage turns white in winter.", "ptarmigan.txt");
        Assert.Equal([id], HitIds(await SearchAsync("ptarmigan&mode=hybrid")));

        using (var deleted = await _client.DeleteAsync(new Uri($"/documents/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await _client.GetAsync($"/documents/{id}"))
        {
            await Http.AssertProblemAsync(gone, HttpStatusCode.NotFound);
        }

        Assert.Empty(HitIds(await SearchAsync("ptarmigan&mode=hybrid")));
        var services = fixture.Factory.Services;
        Assert.Equal(0, await services.GetRequiredService<IMindoraVectors>().CountAsync(DocumentChunkIndex.Collection, VectorFilter.Match("documentId", id)));
        Assert.Empty(await services.GetRequiredService<DocumentCatalog>().VersionsAsync(id));
        using var again = await _client.DeleteAsync(new Uri($"/documents/{id}", UriKind.Relative));
        await Http.AssertProblemAsync(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_new_version_under_the_same_name_replaces_the_old_chunks()
    {
        var id = await UploadAsync("Version one mentions the okapi.", "okapi-notes.txt");
        var second = await UploadAsync("Version two mentions the tapir.", "okapi-notes.txt", expectedStatus: "indexed", after: DateTimeOffset.UtcNow);

        Assert.Equal(id, second);
        Assert.Empty(HitIds(await SearchAsync("okapi")));
        Assert.Equal([id], HitIds(await SearchAsync("tapir")));
    }

    private static List<string> HitIds(JsonElement result) =>
        result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("documentId").GetString()!).ToList();

    private async Task<string> UploadAsync(string text, string fileName, string? tags = null, string expectedStatus = "indexed", DateTimeOffset? after = null)
    {
        using var form = Http.FileForm(text, fileName);
        if (tags is not null)
        {
            form.Add(new StringContent(tags), "tags");
        }

        using var response = await _client.PostAsync(new Uri("/documents", UriKind.Relative), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        await Http.PollAsync(
            async () => await _client.GetFromJsonAsync<JsonElement>(new Uri($"/documents/{id}", UriKind.Relative)),
            d => d.GetProperty("status").GetString() == expectedStatus
                && d.GetProperty("steps").GetProperty("save").GetString() == "done"
                && (after is null || d.GetProperty("updatedAt").GetDateTimeOffset() >= after),
            ProcessingTimeout,
            $"document {id} to be {expectedStatus}");
        return id;
    }

    private async Task<JsonElement> SearchAsync(string query)
    {
        using var response = await _client.GetAsync($"/search?q={query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> AskAsync(object question)
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/ask", UriKind.Relative), question);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
