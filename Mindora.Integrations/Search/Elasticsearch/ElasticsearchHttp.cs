using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search.Elasticsearch;

/// <summary>A reply of Elasticsearch: the status and the parsed JSON body (null when empty or not JSON).</summary>
internal sealed record ElasticsearchReply(HttpStatusCode Status, JsonNode? Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The error type Elasticsearch reported (e.g. <c>index_not_found_exception</c>), or null.</summary>
    public string? ErrorType => Body?["error"] is JsonObject error ? error["type"]?.GetValue<string>() : null;

    /// <summary>The reason Elasticsearch gave, or a generic text.</summary>
    public string Reason => Body?["error"] is JsonObject error
        ? error["root_cause"]?[0]?["reason"]?.GetValue<string>() ?? error["reason"]?.GetValue<string>() ?? "no reason given"
        : $"HTTP {(int)Status}";
}

/// <summary>
/// HTTP to Elasticsearch: JSON or NDJSON bodies, Basic credentials on every request (never in a
/// URL, log or error), transient failures (connection errors, 429, 502–504) retried with backoff.
/// </summary>
internal sealed class ElasticsearchHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    private readonly HttpClient _client;

    public ElasticsearchHttp(ElasticsearchConnection connection, HttpMessageHandler? handler = null)
    {
        _client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _client.BaseAddress = connection.Endpoint;
        _client.Timeout = TimeSpan.FromSeconds(100);
        _client.DefaultRequestHeaders.Authorization = connection.Authorization;
    }

    /// <summary>Sends a request with a JSON body (or none); the path is built only from validated names.</summary>
    public Task<ElasticsearchReply> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, body?.ToJsonString(), Json, cancellationToken);

    /// <summary>Sends NDJSON lines (the _bulk API).</summary>
    public Task<ElasticsearchReply> SendNdJsonAsync(string path, IEnumerable<JsonNode> lines, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line.ToJsonString()).Append('\n');
        }

        return SendAsync(HttpMethod.Post, path, text.ToString(), NdJson, cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    private async Task<ElasticsearchReply> SendAsync(HttpMethod method, string path, string? body, MediaTypeHeaderValue type, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await HttpResilience.TransientRetry.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(method, path);
                    if (body is not null)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8);
                        request.Content.Headers.ContentType = type;
                    }

                    return await _client.SendAsync(request, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // The message names host and port only: credentials travel in a header, never in the URL.
            throw new MindoraUnavailableException($"Elasticsearch at {_client.BaseAddress!.Authority} did not answer: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MindoraUnavailableException($"Elasticsearch at {_client.BaseAddress!.Authority} did not answer in time.", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? json = null;
            try
            {
                json = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page): the status says enough.
            }

            var reply = new ElasticsearchReply(response.StatusCode, json);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new MindoraUnavailableException($"Elasticsearch at {_client.BaseAddress!.Authority} refused the credentials of the connection string (HTTP {(int)response.StatusCode}).");
            }

            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new MindoraUnavailableException($"Elasticsearch at {_client.BaseAddress!.Authority} failed: {reply.Reason}");
            }

            return reply;
        }
    }
}
