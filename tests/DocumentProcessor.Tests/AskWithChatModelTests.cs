using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DocumentProcessor.Tests;

/// <summary>
/// POST /ask with a real OpenAI-compatible chat model: MINDORA_TEST_OPENAI_ENDPOINT (e.g.
/// https://api.openai.com/v1 or http://localhost:11434/v1), MINDORA_TEST_OPENAI_KEY and
/// MINDORA_TEST_OPENAI_CHAT_MODEL (default gpt-4o-mini). Skipped, saying so, without an endpoint.
/// </summary>
public sealed class AskWithChatModelTests
{
    [ChatEndpointFact]
    public async Task A_configured_chat_model_answers_from_the_passages_and_cites_them()
    {
        using var store = new TestStore();
        await using var factory = new DocumentApiFactory(store, new Dictionary<string, string?>
        {
            ["Mindora:Chat:Endpoint"] = Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_ENDPOINT"),
            ["Mindora:Chat:ApiKey"] = Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_KEY"),
            ["Mindora:Chat:Model"] = Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_CHAT_MODEL") is { Length: > 0 } model ? model : "gpt-4o-mini",
        });
        using var client = factory.CreateClient();
        await using var worker = await DocumentWorkerHost.StartAsync(store);
        var accepted = await client.UploadAcceptedAsync("Observatory log\nThe comet Tsuchinshan was brightest on 12 October.", "comet.txt");
        var id = accepted.GetProperty("id").GetString()!;
        await Http.PollAsync(
            async () => await client.GetFromJsonAsync<JsonElement>(new Uri($"/documents/{id}", UriKind.Relative)),
            d => d.GetProperty("status").GetString() is "indexed" or "failed",
            TimeSpan.FromSeconds(30),
            "the document to be indexed");

        using var response = await client.PostAsJsonAsync(new Uri("/ask", UriKind.Relative), new { question = "When was the comet Tsuchinshan brightest?" });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(answer.GetProperty("fromModel").GetBoolean());
        Assert.Contains("12 October", answer.GetProperty("answer").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(id, answer.GetProperty("citations")[0].GetProperty("documentId").GetString());
    }
}

/// <summary>Runs when MINDORA_TEST_OPENAI_ENDPOINT names an endpoint; otherwise skipped, saying why.</summary>
internal sealed class ChatEndpointFactAttribute : FactAttribute
{
    public ChatEndpointFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_ENDPOINT")))
        {
            Skip = "SKIPPED: no OpenAI-compatible chat endpoint; set MINDORA_TEST_OPENAI_ENDPOINT (and MINDORA_TEST_OPENAI_KEY, MINDORA_TEST_OPENAI_CHAT_MODEL) to run it.";
        }
    }
}
