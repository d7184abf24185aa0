using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mindora.Integrations.Tests.Embeddings;

/// <summary>
/// A Kestrel endpoint that answers POST /v1/embeddings with scripted responses in OpenAI's wire
/// format, and records each request. It proves the provider's own logic (batching, ordering,
/// retries, error mapping) — not that it works with OpenAI; the gated real-endpoint test does that.
/// </summary>
internal sealed class CannedEmbeddingsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<JsonObject, IResult>> _script = new();

    private CannedEmbeddingsEndpoint(WebApplication app) => _app = app;

    public ConcurrentQueue<(JsonObject Body, string? Authorization, DateTimeOffset At)> Requests { get; } = new();

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/v1");

    public static async Task<CannedEmbeddingsEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new CannedEmbeddingsEndpoint(app);
        app.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            endpoint.Requests.Enqueue((body, context.Request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow));
            return endpoint._script.TryDequeue(out var respond) ? respond(body) : Embeddings(body);
        });
        await app.StartAsync();
        return endpoint;
    }

    /// <summary>The next request gets this answer; unscripted requests get <see cref="Embeddings"/>.</summary>
    public void Then(Func<JsonObject, IResult> respond) => _script.Enqueue(respond);

    public static IResult Status(int status, string message, params (string Name, string Value)[] headers) => new CannedResult(status, new JsonObject
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = "test_error" },
    }, headers);

    /// <summary>
    /// One embedding per input, the i-th being [i+1, len(input), 0, …] in the requested dimensions
    /// (default 4), answered in reverse index order and in the requested encoding.
    /// </summary>
    public static IResult Embeddings(JsonObject request)
    {
        var inputs = request["input"] is JsonArray array ? array.Select(x => x!.GetValue<string>()).ToList() : [request["input"]!.GetValue<string>()];
        var dimensions = request["dimensions"]?.GetValue<int>() ?? 4;
        var base64 = request["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = inputs.Count - 1; i >= 0; i--)
        {
            var vector = new float[dimensions];
            vector[0] = i + 1;
            vector[1] = inputs[i].Length;
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) : new JsonArray(vector.Select(v => (JsonNode)v).ToArray()),
            });
        }

        return new CannedResult(200, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = request["model"]!.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Count * 3, ["total_tokens"] = inputs.Count * 3 },
        }, []);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class CannedResult(int status, JsonObject body, (string Name, string Value)[] headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.WriteAsync(body.ToJsonString());
        }
    }
}
