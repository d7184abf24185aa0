using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search.Elasticsearch;

/// <summary>
/// Search on Elasticsearch over its REST API. Index <c>{name}</c> of app <c>{app}</c> is the
/// server index <c>{app}-{name}</c>; its mapping's <c>_meta</c> names the owner, so an app never
/// uses an index of another app whose name happens to produce the same string. Writes wait for
/// the refresh (<c>refresh=wait_for</c>) so a document is found as soon as the call returns.
/// </summary>
internal sealed partial class ElasticsearchSearchProvider : ISearchProvider
{
    private const string Wait = "?refresh=wait_for";

    private readonly ElasticsearchHttp _http;
    private readonly string _app;
    private readonly MindoraSearchOptions _options;
    private readonly MindoraInstrumentation _telemetry;
    private readonly Counter<long> _indexed;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, SearchFieldType>> _mappings = new(StringComparer.Ordinal);
    private int _disposed;

    public ElasticsearchSearchProvider(ElasticsearchConnection connection, string app, MindoraSearchOptions options, IMeterFactory? meterFactory, HttpMessageHandler? handler = null)
    {
        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _http = new ElasticsearchHttp(connection, handler);
        _telemetry = new MindoraInstrumentation("Search", "mindora.search", "search", "mindora.index", meterFactory);
        _indexed = _telemetry.CreateCounter("documents_indexed", "{document}", "Documents added or replaced.");
    }

    public Task EnsureIndexAsync(string index, CancellationToken cancellationToken = default)
    {
        var name = MindoraNames.ValidateLogicalName(index, "index", nameof(index));
        var extra = new JsonObject { ["fields"] = new JsonObject { ["type"] = "object", ["enabled"] = false } };
        return _telemetry.RunAsync("ensure_index", _app, name, () =>
            CreateAsync(name, [new("content", SearchFieldType.Text), new("title", SearchFieldType.Text)], extra, cancellationToken));
    }

    public Task IndexAsync(string index, SearchDocument document, CancellationToken cancellationToken = default)
    {
        var name = MindoraNames.ValidateLogicalName(index, "index", nameof(index));
        var (id, _) = SearchValidation.Document(document, _options);
        var body = new JsonObject
        {
            ["title"] = HighlightHtml.StripSentinels(document.Title),
            ["content"] = HighlightHtml.StripSentinels(document.Content),
            ["fields"] = document.Fields is { Count: > 0 } f ? new JsonObject([.. f.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]) : null,
            [SearchMapping.IdField] = id,
        };
        return _telemetry.RunAsync("index", _app, name, async () =>
        {
            await RequireMappingAsync(name, cancellationToken);
            Check(await _http.SendAsync(HttpMethod.Put, $"{Full(name)}/_doc/{Uri.EscapeDataString(id)}{Wait}", body, cancellationToken), name);
            CountIndexed(1, name);
        });
    }

    public Task<bool> DeleteAsync(string index, string id, CancellationToken cancellationToken = default) =>
        DeleteDocumentAsync(MindoraNames.ValidateLogicalName(index, "index", nameof(index)), id, cancellationToken);

    public Task<SearchResults> SearchAsync(string index, SearchQuery query, CancellationToken cancellationToken = default)
    {
        var name = MindoraNames.ValidateLogicalName(index, "index", nameof(index));
        SearchValidation.Query(query);
        var terms = FtsQuery.Terms(query.Text, splitCjk: true);
        return _telemetry.RunAsync("query", _app, name, async () =>
        {
            await RequireMappingAsync(name, cancellationToken);
            if (terms.Count == 0)
            {
                return new SearchResults(0, []);
            }

            // The words as the user typed them, without operators: every one must occur in the title or the content.
            var text = string.Join(' ', terms.Select(t => t.Text));
            var body = new JsonObject
            {
                ["query"] = new JsonObject
                {
                    ["multi_match"] = new JsonObject
                    {
                        ["query"] = text,
                        ["type"] = "cross_fields",
                        ["operator"] = "and",
                        ["fields"] = new JsonArray($"title^{_options.TitleWeight.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "content"),
                    },
                },
                ["from"] = query.From,
                ["size"] = query.Size,
                ["track_total_hits"] = true,
                ["sort"] = new JsonArray(new JsonObject { ["_score"] = "desc" }, new JsonObject { [SearchMapping.IdField] = "asc" }),
            };
            var reply = Check(await _http.SendAsync(HttpMethod.Post, $"{Full(name)}/_search", body, cancellationToken), name);
            var hits = new List<SearchHit>();
            foreach (var hit in reply.Body?["hits"]?["hits"]?.AsArray() ?? [])
            {
                var source = hit!["_source"]!.AsObject();
                var title = source["title"]?.GetValue<string>() ?? string.Empty;
                var fields = source["fields"] is JsonObject f
                    ? f.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
                    : new Dictionary<string, string>();
                hits.Add(new SearchHit(
                    hit["_id"]!.GetValue<string>(),
                    title,
                    hit["_score"]?.GetValue<double>() ?? 0,
                    SearchHighlighter.Highlight(title, terms, splitCjk: true),
                    SearchHighlighter.Snippet(source["content"]?.GetValue<string>() ?? string.Empty, terms, splitCjk: true, _options.SnippetTokens),
                    fields));
            }

            return new SearchResults(Total(reply), hits);
        });
    }

    public Task CreateIndexAsync(string index, SearchMapping mapping, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        ArgumentNullException.ThrowIfNull(mapping);
        var fields = mapping.Validate();
        return _telemetry.RunAsync("create_index", _app, name, async () =>
        {
            await CreateAsync(name, fields, null, cancellationToken);
            var existing = await RequireMappingAsync(name, cancellationToken);
            if (existing.Count != fields.Count || fields.Any(f => !existing.TryGetValue(f.Key, out var t) || t != f.Value))
            {
                throw new MindoraConflictException($"Search index '{name}' exists with another mapping; a mapping cannot change (create a new index).");
            }
        });
    }

    public Task IndexDocumentAsync(string index, string id, JsonObject document, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = SearchValidation.DocumentId(id, nameof(id));
        return _telemetry.RunAsync("index", _app, name, async () =>
        {
            var source = Normalize(document, await RequireMappingAsync(name, cancellationToken), "document");
            source[SearchMapping.IdField] = documentId;
            Check(await _http.SendAsync(HttpMethod.Put, $"{Full(name)}/_doc/{Uri.EscapeDataString(documentId)}{Wait}", source, cancellationToken), name);
            CountIndexed(1, name);
        });
    }

    public Task<bool> UpdateDocumentAsync(string index, string id, JsonObject changes, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = SearchValidation.DocumentId(id, nameof(id));
        ArgumentNullException.ThrowIfNull(changes);
        return _telemetry.RunAsync("update", _app, name, async () =>
        {
            var doc = Normalize(changes, await RequireMappingAsync(name, cancellationToken), nameof(changes));
            var reply = await _http.SendAsync(HttpMethod.Post, $"{Full(name)}/_update/{Uri.EscapeDataString(documentId)}{Wait}", new JsonObject { ["doc"] = doc }, cancellationToken);
            return reply.ErrorType == "document_missing_exception" ? false : Check(reply, name).IsSuccess;
        });
    }

    public Task<bool> DeleteDocumentAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = SearchValidation.DocumentId(id, nameof(id));
        return _telemetry.RunAsync("delete", _app, name, async () =>
        {
            await RequireMappingAsync(name, cancellationToken);
            var reply = await _http.SendAsync(HttpMethod.Delete, $"{Full(name)}/_doc/{Uri.EscapeDataString(documentId)}{Wait}", null, cancellationToken);
            return reply.Status == HttpStatusCode.NotFound && reply.ErrorType is null ? false : Check(reply, name).IsSuccess;
        });
    }

    public Task<JsonObject?> GetDocumentAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = SearchValidation.DocumentId(id, nameof(id));
        return _telemetry.RunAsync("get", _app, name, async () =>
        {
            await RequireMappingAsync(name, cancellationToken);
            var reply = await _http.SendAsync(HttpMethod.Get, $"{Full(name)}/_doc/{Uri.EscapeDataString(documentId)}", null, cancellationToken);
            if (reply.Status == HttpStatusCode.NotFound && reply.ErrorType is null)
            {
                return null;
            }

            var source = Check(reply, name).Body?["_source"]?.DeepClone().AsObject();
            source?.Remove(SearchMapping.IdField);
            return source;
        });
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _http.Dispose();
            _telemetry.Dispose();
        }
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var reply = await _http.SendAsync(HttpMethod.Get, "_cluster/health", null, cancellationToken);
        if (!reply.IsSuccess || reply.Body?["status"]?.GetValue<string>() == "red")
        {
            throw new MindoraUnavailableException($"Elasticsearch is not healthy: {(reply.IsSuccess ? "cluster status red" : reply.Reason)}.");
        }
    }

    private string Full(string name) => _app + "-" + name;

    private async Task CreateAsync(string name, IEnumerable<KeyValuePair<string, SearchFieldType>> fields, JsonObject? extra, CancellationToken cancellationToken)
    {
        if (_mappings.ContainsKey(name))
        {
            return;
        }

        var reply = await _http.SendAsync(HttpMethod.Put, Full(name), ElasticsearchRequests.CreateIndex(_app, name, fields, extra), cancellationToken);
        if (reply.ErrorType != "resource_already_exists_exception")
        {
            Check(reply, name);
        }

        await RequireMappingAsync(name, cancellationToken); // also proves an existing index is this app's
    }

    /// <summary>The mapping of one of this app's indexes; an index that is missing or owned by another app is not found.</summary>
    private async Task<IReadOnlyDictionary<string, SearchFieldType>> RequireMappingAsync(string name, CancellationToken cancellationToken)
    {
        if (_mappings.TryGetValue(name, out var known))
        {
            return known;
        }

        var reply = await _http.SendAsync(HttpMethod.Get, $"{Full(name)}/_mapping", null, cancellationToken);
        var mapping = reply.IsSuccess ? Owned(reply.Body?[Full(name)]?["mappings"], name) : null;
        if (mapping is null && reply.Status != HttpStatusCode.NotFound)
        {
            Check(reply, name);
        }

        return _mappings[name] = mapping ?? throw new MindoraNotFoundException($"Search index '{name}' (create it first)");
    }

    /// <summary>The field types of a mapping when its <c>_meta</c> names this app and index, else null.</summary>
    private Dictionary<string, SearchFieldType>? Owned(JsonNode? mappings, string name)
    {
        if (mappings?["_meta"]?["mindora_app"]?.GetValue<string>() != _app || mappings["_meta"]?["mindora_index"]?.GetValue<string>() != name)
        {
            return null;
        }

        var fields = new Dictionary<string, SearchFieldType>(StringComparer.Ordinal);
        foreach (var (field, property) in mappings["properties"]?.AsObject() ?? [])
        {
            SearchFieldType? type = property?["type"]?.GetValue<string>() switch
            {
                "text" => SearchFieldType.Text,
                "keyword" when field != SearchMapping.IdField => SearchFieldType.Keyword,
                "date" => SearchFieldType.Date,
                "double" => SearchFieldType.Number,
                _ => null,
            };
            if (type is { } t)
            {
                fields[field] = t;
            }
        }

        return fields;
    }

    private JsonObject Normalize(JsonObject? document, IReadOnlyDictionary<string, SearchFieldType> mapping, string parameterName) =>
        SearchDocuments.Normalize(document, mapping, parameterName, _options.MaxDocumentBytes);

    /// <summary>Turns an error reply into a typed exception; returns a successful one.</summary>
    private static ElasticsearchReply Check(ElasticsearchReply reply, string name) => reply switch
    {
        { IsSuccess: true } => reply,
        { ErrorType: "index_not_found_exception" } => throw new MindoraNotFoundException($"Search index '{name}'"),
        { Status: HttpStatusCode.Conflict } => throw new MindoraConflictException($"Elasticsearch reported a conflict on index '{name}': {reply.Reason}"),
        _ => throw new MindoraValidationException("request", $"Elasticsearch rejected the request on index '{name}': {reply.Reason}"),
    };

    private static long Total(ElasticsearchReply reply) => reply.Body?["hits"]?["total"]?["value"]?.GetValue<long>() ?? 0;

    private void CountIndexed(long count, string index) =>
        _indexed.Add(count, new TagList { { MindoraInstrumentation.AppTag, _app }, { "mindora.index", index } });
}
