using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search.Elasticsearch;

/// <summary>Bulk indexing and typed queries on Elasticsearch.</summary>
internal sealed partial class ElasticsearchSearchProvider
{
    public Task<IReadOnlyList<BulkItemResult>> BulkAsync(string index, IReadOnlyList<BulkOperation> operations, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        SearchBulk.ValidateCount(operations);
        return _telemetry.RunAsync("bulk", _app, name, async () =>
        {
            var mapping = await RequireMappingAsync(name, cancellationToken);
            // Items that fail our checks are reported without being sent; the server reports the others one by one.
            var results = new BulkItemResult[operations.Count];
            var sent = SearchBulk.Check(operations, d => Normalize(d, mapping, "operation.Document"), results);
            var lines = new List<JsonNode>();
            foreach (var (_, id, source) in sent)
            {
                if (source is null)
                {
                    lines.Add(new JsonObject { ["delete"] = new JsonObject { ["_id"] = id } });
                    continue;
                }

                source[SearchMapping.IdField] = id;
                lines.Add(new JsonObject { ["index"] = new JsonObject { ["_id"] = id } });
                lines.Add(source);
            }

            if (sent.Count > 0)
            {
                var reply = Check(await _http.SendNdJsonAsync($"{Full(name)}/_bulk{Wait}", lines, cancellationToken), name);
                var items = reply.Body?["items"]?.AsArray() ?? [];
                for (var k = 0; k < sent.Count; k++)
                {
                    results[sent[k].Slot] = new BulkItemResult(sent[k].Id, BulkItemError(k < items.Count ? items[k] : null, sent[k].Id));
                }
            }

            CountIndexed(results.Count(r => r.Succeeded), name);
            return (IReadOnlyList<BulkItemResult>)results;
        });
    }

    public Task<DocumentSearchResults> QueryAsync(string index, SearchRequest request, CancellationToken cancellationToken = default)
    {
        var pattern = SearchRequests.Validate(index, request);
        return _telemetry.RunAsync("query", _app, index, async () =>
        {
            var mappings = pattern is null
                ? new Dictionary<string, IReadOnlyDictionary<string, SearchFieldType>> { [index] = await RequireMappingAsync(index, cancellationToken) }
                : await MonthlyMappingsAsync(pattern, cancellationToken);
            if (mappings.Count == 0)
            {
                return DocumentSearchResults.Empty;
            }

            var fields = SearchFieldResolver.Union(mappings.Values);
            var sort = fields.Sort(request);
            var highlight = fields.Highlights(request);
            var after = request.After is null ? null : SearchCursor.Decode(request.After, sort.Count + 1);
            var body = ElasticsearchRequests.Search(fields, request, sort, after);
            var path = string.Join(',', mappings.Keys.Select(Full)) + "/_search";
            var reply = Check(await _http.SendAsync(HttpMethod.Post, path, body, cancellationToken), index);

            var hits = new List<DocumentHit>();
            foreach (var hit in reply.Body?["hits"]?["hits"]?.AsArray() ?? [])
            {
                var source = hit!["_source"]!.DeepClone().AsObject();
                source.Remove(SearchMapping.IdField);
                var serverIndex = hit["_index"]!.GetValue<string>();
                hits.Add(new DocumentHit(
                    serverIndex[(_app.Length + 1)..],
                    hit["_id"]!.GetValue<string>(),
                    hit["_score"] is JsonValue score ? score.GetValue<double>() : 0,
                    source,
                    SearchHighlighter.Fields(source, highlight, _options.SnippetTokens),
                    SearchCursor.Encode(hit["sort"]!.DeepClone().AsArray())));
            }

            return new DocumentSearchResults(Total(reply), hits, Aggregations(reply.Body?["aggregations"], request));
        });
    }

    /// <summary>The mappings of this app's monthly indexes of <paramref name="baseName"/>, by index name.</summary>
    private async Task<Dictionary<string, IReadOnlyDictionary<string, SearchFieldType>>> MonthlyMappingsAsync(string baseName, CancellationToken cancellationToken)
    {
        var reply = await _http.SendAsync(HttpMethod.Get, $"{Full(baseName)}-*/_mapping", null, cancellationToken);
        var found = new Dictionary<string, IReadOnlyDictionary<string, SearchFieldType>>(StringComparer.Ordinal);
        foreach (var (serverIndex, entry) in Check(reply, baseName).Body?.AsObject() ?? [])
        {
            var name = serverIndex.StartsWith(_app + "-", StringComparison.Ordinal) ? serverIndex[(_app.Length + 1)..] : null;
            if (name is not null && SearchIndexNames.IsMonthlyOf(name, baseName) && Owned(entry?["mappings"], name) is { } mapping)
            {
                found[name] = mapping;
            }
        }

        return found;
    }

    private static string? BulkItemError(JsonNode? item, string id)
    {
        var result = item is JsonObject o && o.Count == 1 ? o.First().Value : null;
        if (result is null)
        {
            return "Elasticsearch did not report this item.";
        }

        if (result["error"] is JsonNode error)
        {
            return $"Elasticsearch rejected document '{id}': {error["reason"]?.GetValue<string>() ?? error["type"]?.GetValue<string>() ?? "no reason given"}";
        }

        return result["result"]?.GetValue<string>() == "not_found" ? $"Document '{id}' was not found." : null;
    }

    private static Dictionary<string, AggregationResult> Aggregations(JsonNode? aggregations, SearchRequest request)
    {
        var results = new Dictionary<string, AggregationResult>(StringComparer.Ordinal);
        foreach (var (name, aggregation) in request.Aggregations)
        {
            var node = aggregations?[name];
            if (aggregation is StatsAggregation)
            {
                results[name] = new AggregationResult([], new FieldStats(
                    node?["count"]?.GetValue<long>() ?? 0,
                    Number(node?["min"]),
                    Number(node?["max"]),
                    Number(node?["avg"]),
                    Number(node?["sum"]) ?? 0));
                continue;
            }

            var keyName = aggregation is DateHistogramAggregation ? "key_as_string" : "key";
            results[name] = new AggregationResult([.. (node?["buckets"]?.AsArray() ?? []).Select(b =>
                new AggregationBucket(b![keyName]!.ToString(), b["doc_count"]!.GetValue<long>()))]);
        }

        return results;
    }

    private static double? Number(JsonNode? node) => node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number ? value.GetValue<double>() : null;
}
