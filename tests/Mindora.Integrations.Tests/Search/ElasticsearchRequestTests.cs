using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Mindora.Integrations.Search;
using Mindora.Integrations.Search.Elasticsearch;
using Mindora.Integrations.Tests.Support;
using static Mindora.Integrations.Search.SearchQueries;

namespace Mindora.Integrations.Tests.Search;

/// <summary>
/// What the Elasticsearch provider SENDS (exact JSON/NDJSON bodies, paths, credentials) and how it
/// READS reply shapes copied from Elasticsearch's REST API documentation (search hits with sort
/// values, aggregations, a bulk reply with per-item errors), against a local Kestrel endpoint that
/// records requests. This tests our own serialization only; it is no substitute for the real-server
/// suite (<see cref="ElasticsearchSearchTests"/>, run when MINDORA_TEST_ELASTICSEARCH names a server).
/// </summary>
public sealed class ElasticsearchRequestTests
{
    private static readonly SearchMapping Mapping = new(new Dictionary<string, SearchFieldType>
    {
        ["body"] = SearchFieldType.Text,
        ["tag"] = SearchFieldType.Keyword,
        ["published"] = SearchFieldType.Date,
        ["views"] = SearchFieldType.Number,
    });

    private JsonNode? _mappings;

    [Fact]
    public async Task Create_index_sends_the_cjk_analyzer_a_strict_mapping_and_the_owner_with_basic_credentials()
    {
        await using var server = await StartAsync();
        using var search = Open(server);

        await search.CreateIndexAsync("articles", Mapping);

        var put = server.Requests.First();
        Assert.Equal(("PUT", "/docs-articles"), (put.Method, put.PathAndQuery));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:s3cr3t@pw")), put.Authorization);
        AssertJson("""
            {"settings":{"analysis":{
                "filter":{"mindora_bigrams":{"type":"cjk_bigram","output_unigrams":true}},
                "analyzer":{"mindora_text":{"type":"custom","tokenizer":"standard","filter":["cjk_width","lowercase","mindora_bigrams","asciifolding"]}}}},
             "mappings":{"dynamic":"strict","_meta":{"mindora_app":"docs","mindora_index":"articles"},
                "properties":{"mindora_id":{"type":"keyword"},"body":{"type":"text","analyzer":"mindora_text"},
                    "published":{"type":"date"},"tag":{"type":"keyword"},"views":{"type":"double"}}}}
            """, put.Body);
        Assert.Equal(("GET", "/docs-articles/_mapping"), (server.Requests.Last().Method, server.Requests.Last().PathAndQuery));
    }

    [Fact]
    public async Task Query_becomes_query_dsl_with_sort_tie_breaker_search_after_and_aggregations()
    {
        await using var server = await StartAsync();
        using var search = Open(server);
        await search.CreateIndexAsync("articles", Mapping);
        var request = new SearchRequest(Bool(
            must: [Match("body", "向量数据库")],
            should: [Phrase("body", "vector search")],
            filter: [Term("tag", "ai"), Range("published", from: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)))],
            mustNot: [Prefix("tag", "old"), Term("views", 0)]))
        {
            Size = 2,
            Sort = [new SearchSort("views", Descending: true)],
            Highlight = ["body"],
            Aggregations = new Dictionary<string, SearchAggregation>
            {
                ["tags"] = new TermsAggregation("tag", 5),
                ["months"] = new DateHistogramAggregation("published", DateInterval.Month),
                ["views"] = new StatsAggregation("views"),
            },
        };

        var first = await search.QueryAsync("articles", request);
        await search.QueryAsync("articles", request with { After = first.Hits[^1].Cursor });

        var searches = server.Requests.Where(r => r.PathAndQuery == "/docs-articles/_search").ToList();
        AssertJson("""
            {"query":{"bool":{
                "must":[{"match":{"body":{"query":"向量数据库","operator":"and"}}}],
                "should":[{"match_phrase":{"body":"vector search"}}],
                "filter":[{"term":{"tag":"ai"}},{"range":{"published":{"gte":"2025-12-31T16:00:00.000Z"}}}],
                "must_not":[{"prefix":{"tag":"old"}},{"term":{"views":0}}]}},
             "size":2,"track_total_hits":true,"track_scores":true,
             "sort":[{"views":{"order":"desc","missing":"_last"}},{"mindora_id":{"order":"asc"}}],
             "aggs":{"tags":{"terms":{"field":"tag","size":5,"order":[{"_count":"desc"},{"_key":"asc"}]}},
                     "months":{"date_histogram":{"field":"published","calendar_interval":"month","format":"yyyy-MM-dd'T'HH:mm:ss'Z'","time_zone":"UTC","min_doc_count":1}},
                     "views":{"stats":{"field":"views"}}}}
            """, searches[0].Body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[120.0,"a1"]"""), JsonNode.Parse(searches[1].Body)!["search_after"]));
    }

    [Fact]
    public async Task Search_reply_is_read_into_hits_cursors_highlights_and_aggregations()
    {
        await using var server = await StartAsync();
        using var search = Open(server);
        await search.CreateIndexAsync("articles", Mapping);

        var results = await search.QueryAsync("articles", new SearchRequest(Match("body", "数据库"))
        {
            Highlight = ["body"],
            Sort = [new SearchSort("views", true)],
            Aggregations = new Dictionary<string, SearchAggregation>
            {
                ["tags"] = new TermsAggregation("tag"),
                ["months"] = new DateHistogramAggregation("published", DateInterval.Month),
                ["views"] = new StatsAggregation("views"),
            },
        });

        Assert.Equal(7, results.Total);
        var hit = results.Hits[0];
        Assert.Equal(("articles", "a1", 1.5), (hit.Index, hit.Id, hit.Score));
        Assert.Null(hit.Source["mindora_id"]);
        Assert.Equal("向量<mark>数据库</mark>是一种<mark>数据库</mark>", hit.Highlights["body"]);
        Assert.Equal(0, results.Hits[1].Score);
        Assert.Equal([new("ai", 4), new AggregationBucket("search", 3)], results.Aggregations["tags"].Buckets);
        Assert.Equal([new AggregationBucket("2026-01-01T00:00:00Z", 7)], results.Aggregations["months"].Buckets);
        Assert.Equal(new FieldStats(7, 15, 300, 100, 700), results.Aggregations["views"].Stats);
    }

    [Fact]
    public async Task Bulk_sends_ndjson_and_reports_each_item_error_of_the_reply()
    {
        await using var server = await StartAsync();
        using var search = Open(server);
        await search.CreateIndexAsync("articles", Mapping);

        var results = await search.BulkAsync("articles",
        [
            new BulkOperation("a1", new JsonObject { ["tag"] = "ai", ["views"] = 3 }),
            new BulkOperation("local", new JsonObject { ["views"] = "many" }),
            new BulkOperation("a2", new JsonObject { ["tag"] = "x" }),
            new BulkOperation("gone", null),
        ]);

        var bulk = server.Requests.Single(r => r.PathAndQuery == "/docs-articles/_bulk?refresh=wait_for");
        Assert.Equal("application/x-ndjson", bulk.ContentType?.Split(';')[0]);
        Assert.Equal(
            """
            {"index":{"_id":"a1"}}
            {"tag":"ai","views":3,"mindora_id":"a1"}
            {"index":{"_id":"a2"}}
            {"tag":"x","mindora_id":"a2"}
            {"delete":{"_id":"gone"}}

            """.ReplaceLineEndings("\n"),
            bulk.Body);
        Assert.Equal([true, false, false, false], results.Select(r => r.Succeeded));
        Assert.Contains("views", results[1].Error, StringComparison.Ordinal); // rejected here, never sent
        Assert.Contains("failed to parse field [tag]", results[2].Error, StringComparison.Ordinal);
        Assert.Equal("Document 'gone' was not found.", results[3].Error);
    }

    [Fact]
    public async Task Index_of_another_app_with_the_same_server_name_is_not_found()
    {
        await using var server = await StartAsync();
        _mappings = JsonNode.Parse("""{"dynamic":"strict","_meta":{"mindora_app":"docs-a","mindora_index":"b"},"properties":{"tag":{"type":"keyword"}}}""");
        using var search = Open(server);

        // App "docs" index "a-b" and app "docs-a" index "b" are both "docs-a-b" on the server.
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => search.QueryAsync("a-b", new SearchRequest(All())));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => search.CreateIndexAsync("a-b", Mapping));
    }

    [Fact]
    public async Task Unreachable_server_is_unavailable_without_the_password_in_the_error()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var search = new ElasticsearchSearchProvider(ElasticsearchConnection.Parse($"http://elastic:s3cr3t%40pw@127.0.0.1:{port}", "elasticsearch"), "docs", new MindoraSearchOptions(), null);

        var error = await Assert.ThrowsAsync<MindoraUnavailableException>(() => search.QueryAsync("articles", new SearchRequest(All())));
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("elastic:pw@host:9200")]
    [InlineData("ftp://elastic:pw@host")]
    [InlineData("http://elastic:pw@host:9200/?x=1")]
    public void Malformed_connection_strings_are_rejected_without_echoing_them(string raw)
    {
        var error = Assert.Throws<MindoraConfigurationException>(() => ElasticsearchConnection.Parse(raw, "elasticsearch"));
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    private static ElasticsearchSearchProvider Open(RecordingHttpServer server) =>
        new(ElasticsearchConnection.Parse($"http://elastic:s3cr3t%40pw@{server.Address.Authority}", "elasticsearch"), "docs", new MindoraSearchOptions(), null);

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), actual);

    private Task<RecordingHttpServer> StartAsync() => RecordingHttpServer.StartAsync(request => (request.Method, request.PathAndQuery.Split('?')[0]) switch
    {
        ("PUT", var path) when path.LastIndexOf('/') == 0 => Created(request),
        ("GET", var path) when path.EndsWith("/_mapping", StringComparison.Ordinal) => _mappings is null
            ? (404, """{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [docs-articles]"}],"type":"index_not_found_exception","reason":"no such index [docs-articles]"},"status":404}""")
            : (200, new JsonObject { [path[1..^9]] = new JsonObject { ["mappings"] = _mappings.DeepClone() } }.ToJsonString()),
        ("POST", "/docs-articles/_bulk") => (200, BulkReply),
        ("POST", "/docs-articles/_search") => (200, SearchReply),
        _ => (400, """{"error":{"type":"illegal_argument_exception","reason":"unexpected request"},"status":400}"""),
    });

    private (int, string) Created(RecordedRequest request)
    {
        if (_mappings is not null)
        {
            return (400, """{"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index already exists"}],"type":"resource_already_exists_exception","reason":"index already exists"},"status":400}""");
        }

        _mappings = JsonNode.Parse(request.Body)!["mappings"]!.DeepClone();
        return (200, """{"acknowledged":true,"shards_acknowledged":true,"index":"docs-articles"}""");
    }

    private const string BulkReply = """
        {"took":30,"errors":true,"items":[
          {"index":{"_index":"docs-articles","_id":"a1","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"status":201,"_seq_no":0,"_primary_term":1}},
          {"index":{"_index":"docs-articles","_id":"a2","status":400,"error":{"type":"document_parsing_exception","reason":"[1:8] failed to parse field [tag] of type [keyword] in document with id 'a2'."}}},
          {"delete":{"_index":"docs-articles","_id":"gone","_version":1,"result":"not_found","_shards":{"total":2,"successful":1,"failed":0},"status":404,"_seq_no":1,"_primary_term":1}}]}
        """;

    private const string SearchReply = """
        {"took":5,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":7,"relation":"eq"},"max_score":null,"hits":[
           {"_index":"docs-articles","_id":"a1","_score":1.5,"_source":{"body":"向量数据库是一种数据库","tag":"ai","views":300,"mindora_id":"a1"},"sort":[300.0,"a1"]},
           {"_index":"docs-articles","_id":"a9","_score":null,"_source":{"body":"x","tag":"ai","views":120,"mindora_id":"a9"},"sort":[120.0,"a1"]}]},
         "aggregations":{
           "tags":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"ai","doc_count":4},{"key":"search","doc_count":3}]},
           "months":{"buckets":[{"key_as_string":"2026-01-01T00:00:00Z","key":1767225600000,"doc_count":7}]},
           "views":{"count":7,"min":15.0,"max":300.0,"avg":100.0,"sum":700.0}}}
        """;
}
