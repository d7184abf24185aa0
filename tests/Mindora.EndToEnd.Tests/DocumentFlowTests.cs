using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindora.Hosting;
using Mindora.Hosting.Testing;

namespace Mindora.EndToEnd.Tests;

/// <summary>
/// The AppHost's real stack (embedded runtime), started through the testing builder: a document
/// uploaded to docs-api is extracted and indexed by the worker process and found by search.
/// </summary>
public sealed class DocumentFlowTests : IAsyncLifetime
{
    private MindoraTestingApplication _app = null!;

    public async Task InitializeAsync()
    {
        _app = await MindoraTestingBuilder.StartAsync<Program>(["--runtime", "embedded"]);
        await _app.WaitForAllHealthyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_resource_of_the_AppHost_is_healthy_and_the_services_run_embedded()
    {
        var snapshots = _app.Application.Notifications.Snapshots;

        Assert.All(snapshots, s => Assert.True(s.IsHealthy, $"{s.Name} is {s.State}/{s.Health}"));
        foreach (var service in new[] { "postgres", "redis", "rabbitmq", "elasticsearch", "qdrant", "files" })
        {
            Assert.Equal(Mindora.Hosting.ApplicationModel.RuntimeKind.Embedded, snapshots.Single(s => s.Name == service).Runtime);
        }

        Assert.Equal(Mindora.Hosting.ApplicationModel.RuntimeKind.Process, snapshots.Single(s => s.Name == "worker").Runtime);
    }

    [Fact]
    public async Task An_uploaded_document_is_indexed_by_the_worker_and_found_with_highlights()
    {
        using var client = _app.CreateHttpClient("docs-api");
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent("# Retrieval notes\n\nHybrid search fuses **keyword** and vector rankings.\n"u8.ToArray());
        form.Add(file, "file", "retrieval.md");

        using var upload = await client.PostAsync(new Uri("/documents", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var status = await WaitForStatusAsync(client, id, "indexed");
        Assert.Equal("Retrieval notes", status.GetProperty("title").GetString());

        var search = await client.GetFromJsonAsync<JsonElement>(new Uri("/search?q=hybrid%20rankings", UriKind.Relative));
        var hit = search.GetProperty("hits").EnumerateArray().Single(h => h.GetProperty("documentId").GetString() == id);
        Assert.Contains("<mark>Hybrid</mark>", hit.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<mark>rankings</mark>", hit.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_upload_gets_a_problem_and_the_worker_logs_nothing_for_it()
    {
        using var client = _app.CreateHttpClient("docs-api");
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent([]);
        form.Add(file, "file", "empty.txt");

        using var response = await client.PostAsync(new Uri("/documents", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Connection_strings_reach_the_projects_and_secrets_stay_masked_in_the_dashboard_view()
    {
        var api = _app.Application.Notifications.Get("docs-api")!;
        var environment = api.Environment.ToDictionary(e => e.Name);

        Assert.StartsWith("Embedded=", environment["ConnectionStrings__files"].Value, StringComparison.Ordinal);
        Assert.Equal("docs-api", environment["OTEL_SERVICE_NAME"].Value);
        Assert.True(environment["Mindora__Files__SigningKey"].IsSecret);
        Assert.Equal("********", environment["Mindora__Files__SigningKey"].Value);
        var logs = string.Join('\n', _app.Application.Logs.GetRecent("docs-api").Select(l => l.Text));
        var key = await _app.Application.Resources.OfType<Mindora.Hosting.ApplicationModel.ParameterResource>().Single(p => p.Name == "files-signing-key")
            .GetValueAsync(Mindora.Hosting.ApplicationModel.ValueResolutionContext.Run);
        Assert.DoesNotContain(key!, logs, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement document;
        do
        {
            document = await client.GetFromJsonAsync<JsonElement>(new Uri($"/documents/{id}", UriKind.Relative));
            var status = document.GetProperty("status").GetString();
            if (status == expected)
            {
                return document;
            }

            Assert.NotEqual("failed", status);
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Document {id} did not reach '{expected}': last {document}");
    }
}
