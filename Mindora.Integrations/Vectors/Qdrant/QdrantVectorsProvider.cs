using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors.Qdrant;

/// <summary>
/// Qdrant through its REST API (the official client is not on the feed). Collections are named
/// <c>{app}_{name}</c>; point ids are UUIDs derived from Mindora's string ids, which travel in the
/// payload field <c>mindora_id</c>. Writes wait for Qdrant to apply them, so a read right after
/// sees them. Upserts go in batches of <see cref="MindoraVectorsOptions.UpsertBatchSize"/>; all are
/// validated first, but Qdrant applies each batch on its own.
/// </summary>
internal sealed class QdrantVectorsProvider : IVectorsProvider
{
    private readonly HttpClient _http;
    private readonly string _app;
    private readonly MindoraVectorsOptions _options;
    private readonly VectorsTelemetry _telemetry;

    public QdrantVectorsProvider(QdrantConnection connection, string app, MindoraVectorsOptions options, System.Diagnostics.Metrics.IMeterFactory? meterFactory)
    {
        VectorValidation.Options(options);
        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _http = new HttpClient { BaseAddress = connection.Endpoint, Timeout = options.RequestTimeout };
        if (connection.ApiKey is not null)
        {
            _http.DefaultRequestHeaders.Add("api-key", connection.ApiKey);
        }

        _telemetry = new VectorsTelemetry(meterFactory);
    }

    public Task EnsureCollectionAsync(string collection, int dimension, VectorDistance distance, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Dimension(dimension, _options);
        VectorValidation.Distance(distance);
        return _telemetry.RunAsync("ensure_collection", _app, full, async () =>
        {
            if (await DescribeAsync(collection, full, cancellationToken) is not { } existing)
            {
                var body = new JsonObject { ["vectors"] = new JsonObject { ["size"] = dimension, ["distance"] = QdrantJson.DistanceName(distance) } };
                var (status, _) = await SendAsync(HttpMethod.Put, $"collections/{full}", body, cancellationToken, allowConflict: true);
                if (status != HttpStatusCode.Conflict)
                {
                    return;
                }

                // Created meanwhile by another process: check its shape below.
                existing = await DescribeAsync(collection, full, cancellationToken) ?? throw NotFound(collection);
            }

            if (existing.Dimension != dimension || existing.Distance != distance)
            {
                throw new MindoraConflictException($"The vector collection '{collection}' exists with dimension {existing.Dimension} and {existing.Distance} distance, not {dimension} and {distance}.");
            }
        });
    }

    public Task<VectorCollectionInfo?> GetCollectionAsync(string collection, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        return _telemetry.RunAsync("get_collection", _app, full, () => DescribeAsync(collection, full, cancellationToken));
    }

    public Task<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        return _telemetry.RunAsync("delete_collection", _app, full, async () =>
        {
            if (await DescribeAsync(collection, full, cancellationToken) is null)
            {
                return false;
            }

            await SendAsync(HttpMethod.Delete, $"collections/{full}", null, cancellationToken);
            return true;
        });
    }

    public Task UpsertAsync(string collection, IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        ArgumentNullException.ThrowIfNull(points);
        return _telemetry.RunAsync("upsert", _app, full, async () =>
        {
            var shape = await DescribeAsync(collection, full, cancellationToken) ?? throw NotFound(collection);
            var rows = VectorValidation.Points(points, shape.Dimension, shape.Distance, _options);
            foreach (var batch in rows.Chunk(_options.UpsertBatchSize))
            {
                var array = new JsonArray();
                foreach (var (id, vector, payload) in batch)
                {
                    var body = payload is null ? new JsonObject() : JsonNode.Parse(payload)!.AsObject();
                    body[VectorValidation.IdField] = id;
                    array.Add(new JsonObject { ["id"] = QdrantJson.PointId(id), ["vector"] = new JsonArray(vector.Select(x => (JsonNode)x).ToArray()), ["payload"] = body });
                }

                await SendAsync(HttpMethod.Put, $"collections/{full}/points?wait=true", new JsonObject { ["points"] = array }, cancellationToken, notFound: collection);
                _telemetry.Upserted.Add(batch.Length);
            }
        });
    }

    public Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, VectorSearchRequest request, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Request(request);
        return _telemetry.RunAsync<IReadOnlyList<VectorHit>>("search", _app, full, async () =>
        {
            var shape = await DescribeAsync(collection, full, cancellationToken) ?? throw NotFound(collection);
            var query = VectorValidation.Vector(request.Vector.Span, shape.Dimension, shape.Distance, "request.Vector");
            var body = new JsonObject
            {
                ["vector"] = new JsonArray(query.Select(x => (JsonNode)x).ToArray()),
                ["limit"] = request.Top,
                ["with_payload"] = true,
                ["with_vector"] = request.WithVectors,
            };
            if (request.Filter is not null)
            {
                body["filter"] = QdrantJson.Filter(request.Filter);
            }

            if (request.ScoreThreshold is { } threshold)
            {
                body["score_threshold"] = threshold;
            }

            var (_, result) = await SendAsync(HttpMethod.Post, $"collections/{full}/points/search", body, cancellationToken, notFound: collection);
            return result!.AsArray().Select(h => QdrantJson.Hit(h!)).ToList();
        });
    }

    public Task<IReadOnlyList<VectorHit>> GetAsync(string collection, IReadOnlyList<string> ids, bool withVectors = false, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Ids(ids);
        return _telemetry.RunAsync("get", _app, full, () => RetrieveAsync(collection, full, ids, withVectors, cancellationToken));
    }

    public Task<long> DeleteAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Ids(ids);
        return _telemetry.RunAsync("delete", _app, full, async () =>
        {
            // Qdrant does not say how many it deleted: count those that exist first.
            var existing = await RetrieveAsync(collection, full, ids, false, cancellationToken);
            if (existing.Count > 0)
            {
                var points = new JsonArray(existing.Select(h => (JsonNode)QdrantJson.PointId(h.Id)).ToArray());
                await SendAsync(HttpMethod.Post, $"collections/{full}/points/delete?wait=true", new JsonObject { ["points"] = points }, cancellationToken, notFound: collection);
            }

            return (long)existing.Count;
        });
    }

    public Task<long> DeleteAsync(string collection, VectorFilter filter, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        ArgumentNullException.ThrowIfNull(filter);
        VectorValidation.Filter(filter);
        return _telemetry.RunAsync("delete_by_filter", _app, full, async () =>
        {
            var count = await CountCoreAsync(collection, full, filter, cancellationToken);
            await SendAsync(HttpMethod.Post, $"collections/{full}/points/delete?wait=true", new JsonObject { ["filter"] = QdrantJson.Filter(filter) }, cancellationToken, notFound: collection);
            return count;
        });
    }

    public Task<long> CountAsync(string collection, VectorFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Filter(filter);
        return _telemetry.RunAsync("count", _app, full, () => CountCoreAsync(collection, full, filter, cancellationToken));
    }

    public Task<VectorScrollPage> ScrollAsync(string collection, VectorFilter? filter = null, int limit = 100, string? offset = null, bool withVectors = false, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Filter(filter);
        VectorValidation.ScrollLimit(limit);
        if (offset is not null && !Guid.TryParse(offset, out _))
        {
            throw new MindoraValidationException(nameof(offset), "The scroll offset must be a NextOffset returned by the previous page.");
        }

        return _telemetry.RunAsync("scroll", _app, full, async () =>
        {
            var body = new JsonObject { ["limit"] = limit, ["with_payload"] = true, ["with_vector"] = withVectors };
            if (filter is not null)
            {
                body["filter"] = QdrantJson.Filter(filter);
            }

            if (offset is not null)
            {
                body["offset"] = offset;
            }

            var (_, result) = await SendAsync(HttpMethod.Post, $"collections/{full}/points/scroll", body, cancellationToken, notFound: collection);
            var points = result!["points"]!.AsArray().Select(p => QdrantJson.Hit(p!)).ToList();
            return new VectorScrollPage(points, result["next_page_offset"]?.ToString());
        });
    }

    public async Task ProbeAsync(CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, "collections", null, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _telemetry.Dispose();
    }

    private string Full(string collection) => VectorValidation.FullName(_app, VectorValidation.Collection(collection));

    private static MindoraNotFoundException NotFound(string collection) => new($"The vector collection '{collection}'");

    private async Task<VectorCollectionInfo?> DescribeAsync(string collection, string full, CancellationToken cancellationToken)
    {
        var (status, result) = await SendAsync(HttpMethod.Get, $"collections/{full}", null, cancellationToken, allowNotFound: true);
        if (status == HttpStatusCode.NotFound || result is null)
        {
            return null;
        }

        var vectors = result["config"]?["params"]?["vectors"];
        var distance = QdrantJson.ParseDistance(vectors?["distance"]?.GetValue<string>());
        if (vectors?["size"] is not JsonValue size || distance is null)
        {
            throw new MindoraConflictException($"The Qdrant collection behind '{collection}' does not have a single unnamed vector; Mindora cannot use it.");
        }

        return new VectorCollectionInfo(collection, size.GetValue<int>(), distance.Value, result["points_count"]?.GetValue<long>() ?? 0);
    }

    private async Task<IReadOnlyList<VectorHit>> RetrieveAsync(string collection, string full, IReadOnlyList<string> ids, bool withVectors, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["ids"] = new JsonArray(ids.Select(id => (JsonNode)QdrantJson.PointId(id)).ToArray()),
            ["with_payload"] = true,
            ["with_vector"] = withVectors,
        };
        var (_, result) = await SendAsync(HttpMethod.Post, $"collections/{full}/points", body, cancellationToken, notFound: collection);
        var byId = result!.AsArray().Select(p => QdrantJson.Hit(p!)).ToDictionary(h => h.Id, StringComparer.Ordinal);
        return ids.Distinct(StringComparer.Ordinal).Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    private async Task<long> CountCoreAsync(string collection, string full, VectorFilter? filter, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["exact"] = true };
        if (filter is not null)
        {
            body["filter"] = QdrantJson.Filter(filter);
        }

        var (_, result) = await SendAsync(HttpMethod.Post, $"collections/{full}/points/count", body, cancellationToken, notFound: collection);
        return result!["count"]!.GetValue<long>();
    }

    /// <summary>Sends one request (retried on transient failures) and returns Qdrant's <c>result</c>.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Result)> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken, bool allowNotFound = false, bool allowConflict = false, string? notFound = null)
    {
        var payload = body?.ToJsonString();
        HttpResponseMessage response;
        try
        {
            response = await HttpResilience.TransientRetry.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(method, path);
                    if (payload is not null)
                    {
                        request.Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json");
                    }

                    return await _http.SendAsync(request, ct);
                },
                cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MindoraUnavailableException($"Qdrant at {_http.BaseAddress} could not be reached: {e.Message}", e);
        }

        using (response)
        {
            var status = response.StatusCode;
            if ((status == HttpStatusCode.NotFound && allowNotFound) || (status == HttpStatusCode.Conflict && allowConflict))
            {
                return (status, null);
            }

            JsonNode? json = null;
            try
            {
                json = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON (a proxy's error page): handled by the status below.
            }

            if (response.IsSuccessStatusCode && json is not null)
            {
                return (status, json["result"]);
            }

            var error = json?["status"]?["error"]?.ToString() ?? response.ReasonPhrase;
            throw status switch
            {
                HttpStatusCode.NotFound when notFound is not null => NotFound(notFound),
                HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new MindoraValidationException("request", $"Qdrant refused the request: {error}"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new MindoraConfigurationException("Qdrant refused the API key of the connection string (401/403)."),
                _ => new MindoraUnavailableException($"Qdrant answered {(int)status} {response.ReasonPhrase}: {error}"),
            };
        }
    }
}
