using System.Text.Json.Nodes;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tests.Support;
using static Mindora.Integrations.Search.SearchQueries;

namespace Mindora.Integrations.Tests.Search;

/// <summary>Mapped indexes: typed fields, documents, bulk, the query builder, paging, sorting, aggregations, monthly indexes.</summary>
public abstract partial class SearchSuite
{
    private static readonly SearchMapping Articles = new(new Dictionary<string, SearchFieldType>
    {
        ["title"] = SearchFieldType.Text,
        ["body"] = SearchFieldType.Text,
        ["tag"] = SearchFieldType.Keyword,
        ["published"] = SearchFieldType.Date,
        ["views"] = SearchFieldType.Number,
    });

    private static JsonObject Article(string title, string body, string tag, string published, double views) => new()
    {
        ["title"] = title,
        ["body"] = body,
        ["tag"] = tag,
        ["published"] = published,
        ["views"] = views,
    };

    private async Task<ISearchProvider> ArticlesAsync()
    {
        var search = Open();
        await search.CreateIndexAsync("articles", Articles);
        var results = await search.BulkAsync("articles",
        [
            new BulkOperation("a1", Article("向量数据库入门", "向量数据库是一种数据库，存储向量。", "ai", "2026-01-05T10:00:00Z", 120)),
            new BulkOperation("a2", Article("Search engines", "Elasticsearch is a search engine built on Lucene.", "search", "2026-01-20T08:30:00Z", 300)),
            new BulkOperation("a3", Article("Vector search", "A vector database finds similar vectors quickly.", "ai", "2026-02-02T12:00:00Z", 80)),
            new BulkOperation("a4", Article("Gardening", "Tomatoes need sun and water.", "home", "2026-02-14T09:00:00Z", 15)),
            new BulkOperation("a5", Article("Search tips", "Phrase queries find words next to each other.", "search", "2026-03-01T00:00:00Z", 45)),
        ]);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        return search;
    }

    private static IEnumerable<string> Ids(DocumentSearchResults results) => results.Hits.Select(h => h.Id);

    [SuiteFact]
    public async Task Match_phrase_term_range_and_prefix_select_the_right_documents()
    {
        using var search = await ArticlesAsync();

        Assert.Equal(["a3"], Ids(await search.QueryAsync("articles", new SearchRequest(Match("body", "vector database")))));
        Assert.Equal(["a1"], Ids(await search.QueryAsync("articles", new SearchRequest(Match("body", "向量数据库")))));
        Assert.Equal(["a5"], Ids(await search.QueryAsync("articles", new SearchRequest(Phrase("body", "words next to")))));
        Assert.Empty(Ids(await search.QueryAsync("articles", new SearchRequest(Phrase("body", "next words")))));
        Assert.Equal(["a2", "a5"], Ids(await search.QueryAsync("articles", new SearchRequest(Term("tag", "search")) { Sort = [new SearchSort("published")] })));
        Assert.Equal(["a2", "a1"], Ids(await search.QueryAsync("articles", new SearchRequest(Range("views", gte: 100)) { Sort = [new SearchSort("views", Descending: true)] })));
        Assert.Equal(["a3", "a4"], Ids(await search.QueryAsync("articles", new SearchRequest(Range("published", from: new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), before: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))) { Sort = [new SearchSort("published")] })));
        Assert.Equal(["a2", "a5"], Ids(await search.QueryAsync("articles", new SearchRequest(Prefix("tag", "sea")) { Sort = [new SearchSort("published")] })));
        Assert.Equal(["a2"], Ids(await search.QueryAsync("articles", new SearchRequest(Prefix("body", "luc")))));
        Assert.Equal(80, (await search.QueryAsync("articles", new SearchRequest(Term("views", 80)))).Hits.Single().Source["views"]!.GetValue<double>());
    }

    [SuiteFact]
    public async Task Bool_combines_must_should_filter_and_must_not()
    {
        using var search = await ArticlesAsync();

        var aiNotChinese = Bool(must: [Term("tag", "ai")], mustNot: [Match("body", "向量")]);
        Assert.Equal(["a3"], Ids(await search.QueryAsync("articles", new SearchRequest(aiNotChinese))));

        var eitherWord = Bool(should: [Match("body", "tomatoes"), Match("body", "lucene")]);
        Assert.Equal(["a2", "a4"], Ids(await search.QueryAsync("articles", new SearchRequest(eitherWord) { Sort = [new SearchSort("views", true)] })));

        var searchFiltered = Bool(must: [Match("title", "search")], filter: [Range("views", gte: 50)]);
        Assert.Equal(["a2", "a3"], Ids(await search.QueryAsync("articles", new SearchRequest(searchFiltered) { Sort = [new SearchSort("views", true)] })));

        // With a must clause, should only scores: the document with both ranks first.
        var scored = await search.QueryAsync("articles", new SearchRequest(Bool(must: [Match("title", "search")], should: [Match("body", "lucene")])));
        Assert.Equal(3, scored.Total);
        Assert.Equal("a2", scored.Hits[0].Id);
    }

    [SuiteFact]
    public async Task Search_after_pages_through_every_match_once_in_sort_order()
    {
        using var search = Open();
        await search.CreateIndexAsync("events", Articles);
        var operations = Enumerable.Range(0, 23).Select(i => new BulkOperation($"e{i:D2}", Article($"Event {i}", "common words", i % 2 == 0 ? "even" : "odd", $"2026-01-{1 + (i % 5):D2}T00:00:00Z", i % 4))).ToList();
        operations.Add(new BulkOperation("nodate", new JsonObject { ["title"] = "No date", ["body"] = "common words" }));
        await search.BulkAsync("events", operations);

        var request = new SearchRequest(Match("body", "common")) { Size = 5, Sort = [new SearchSort("views", true), new SearchSort("published")] };
        var seen = new List<DocumentHit>();
        string? after = null;
        for (var page = 0; page < 10; page++)
        {
            var results = await search.QueryAsync("events", request with { After = after });
            Assert.Equal(24, results.Total);
            if (results.Hits.Count == 0)
            {
                break;
            }

            seen.AddRange(results.Hits);
            after = results.Hits[^1].Cursor;
        }

        Assert.Equal(24, seen.Select(h => h.Id).Distinct().Count());
        var expected = seen.OrderByDescending(h => h.Source["views"]?.GetValue<double>() ?? double.NegativeInfinity)
            .ThenBy(h => h.Source["published"]?.GetValue<string>() ?? "\uffff", StringComparer.Ordinal).ThenBy(h => h.Id, StringComparer.Ordinal).Select(h => h.Id);
        Assert.Equal(expected, seen.Select(h => h.Id));
        Assert.Equal("nodate", seen[^1].Id);
    }

    [SuiteFact]
    public async Task Equal_scores_across_the_end_of_a_page_are_ordered_by_id_and_the_next_page_continues()
    {
        using var search = Open();
        await search.CreateIndexAsync("ties", new SearchMapping(new Dictionary<string, SearchFieldType> { ["body"] = SearchFieldType.Text }));
        // Fifteen documents score the same; one scores higher; one does not match. Indexed out of id order.
        var operations = Enumerable.Range(0, 15).Reverse().Select(i => new BulkOperation($"c{i:D2}", new JsonObject { ["body"] = "alpha beta gamma" })).ToList();
        operations.Add(new BulkOperation("best", new JsonObject { ["body"] = "alpha alpha alpha" }));
        operations.Add(new BulkOperation("other", new JsonObject { ["body"] = "beta gamma delta" }));
        Assert.All(await search.BulkAsync("ties", operations), r => Assert.True(r.Succeeded, r.Error));

        var first = await search.QueryAsync("ties", new SearchRequest(Match("body", "alpha")) { Highlight = ["body"] });
        var second = await search.QueryAsync("ties", new SearchRequest(Match("body", "alpha")) { After = first.Hits[^1].Cursor });

        Assert.Equal(16, first.Total);
        Assert.Equal(["best", .. Enumerable.Range(0, 9).Select(i => $"c{i:D2}")], Ids(first));
        Assert.Equal(Enumerable.Range(9, 6).Select(i => $"c{i:D2}"), Ids(second));
        Assert.Equal("<mark>alpha</mark> beta gamma", first.Hits[1].Highlights["body"]);
        Assert.True(first.Hits[0].Score > first.Hits[1].Score);
        Assert.Equal(first.Hits[1].Score, second.Hits[0].Score, 9);
    }

    [SuiteFact]
    public async Task Score_order_pages_with_cursors_too()
    {
        using var search = await ArticlesAsync();
        var request = new SearchRequest(Bool(should: [Match("body", "vector"), Match("body", "search"), Match("title", "search")])) { Size = 1 };

        var first = await search.QueryAsync("articles", request);
        var second = await search.QueryAsync("articles", request with { After = first.Hits[0].Cursor });
        var all = await search.QueryAsync("articles", request with { Size = 10 });

        Assert.Equal(all.Hits.Take(2).Select(h => h.Id), [first.Hits[0].Id, second.Hits[0].Id]);
        Assert.True(first.Hits[0].Score >= second.Hits[0].Score);
    }

    [SuiteFact]
    public async Task Aggregations_count_terms_months_and_number_stats_over_all_matches()
    {
        using var search = await ArticlesAsync();
        var request = new SearchRequest(All())
        {
            Size = 0,
            Aggregations = new Dictionary<string, SearchAggregation>
            {
                ["tags"] = new TermsAggregation("tag"),
                ["months"] = new DateHistogramAggregation("published", DateInterval.Month),
                ["views"] = new StatsAggregation("views"),
            },
        };

        var results = await search.QueryAsync("articles", request);

        Assert.Empty(results.Hits);
        Assert.Equal(5, results.Total);
        Assert.Equal([new("ai", 2), new("search", 2), new AggregationBucket("home", 1)], results.Aggregations["tags"].Buckets);
        Assert.Equal([new("2026-01-01T00:00:00Z", 2), new("2026-02-01T00:00:00Z", 2), new AggregationBucket("2026-03-01T00:00:00Z", 1)], results.Aggregations["months"].Buckets);
        Assert.Equal(new FieldStats(5, 15, 300, 112, 560), results.Aggregations["views"].Stats);

        var filtered = await search.QueryAsync("articles", request with { Query = Term("tag", "ai") });
        Assert.Equal(new FieldStats(2, 80, 120, 100, 200), filtered.Aggregations["views"].Stats);
    }

    [SuiteFact]
    public async Task Highlights_mark_the_matched_words_in_the_original_text()
    {
        using var search = await ArticlesAsync();

        var hit = Assert.Single((await search.QueryAsync("articles", new SearchRequest(Bool(must: [Match("body", "数据库")], filter: [Term("tag", "ai")])) { Highlight = ["body", "title"] })).Hits);

        Assert.Equal("向量<mark>数据库</mark>是一种<mark>数据库</mark>，存储向量。", hit.Highlights["body"]);
        Assert.False(hit.Highlights.ContainsKey("title"));
        Assert.Equal("向量数据库入门", hit.Source["title"]!.GetValue<string>());
    }

    [SuiteFact]
    public async Task Documents_are_got_updated_and_deleted_one_by_one()
    {
        using var search = await ArticlesAsync();

        Assert.True(await search.UpdateDocumentAsync("articles", "a4", new JsonObject { ["tag"] = "garden", ["views"] = 16 }));
        var updated = await search.GetDocumentAsync("articles", "a4");
        Assert.Equal("garden", updated!["tag"]!.GetValue<string>());
        Assert.Equal("Gardening", updated["title"]!.GetValue<string>());
        Assert.Equal(["a4"], Ids(await search.QueryAsync("articles", new SearchRequest(Term("tag", "garden")))));
        Assert.False(await search.UpdateDocumentAsync("articles", "missing", new JsonObject { ["tag"] = "x" }));

        await search.IndexDocumentAsync("articles", "a4", Article("Roses", "Roses need pruning.", "garden", "2026-02-15", 1));
        Assert.Empty(Ids(await search.QueryAsync("articles", new SearchRequest(Match("body", "tomatoes")))));
        Assert.Equal("2026-02-15T00:00:00.000Z", (await search.GetDocumentAsync("articles", "a4"))!["published"]!.GetValue<string>());

        Assert.True(await search.DeleteDocumentAsync("articles", "a4"));
        Assert.False(await search.DeleteDocumentAsync("articles", "a4"));
        Assert.Null(await search.GetDocumentAsync("articles", "a4"));
        Assert.Equal(4, (await search.QueryAsync("articles", new SearchRequest(All()))).Total);
    }

    [SuiteFact]
    public async Task Bulk_reports_each_bad_item_and_applies_the_good_ones()
    {
        using var search = Open();
        await search.CreateIndexAsync("articles", Articles);

        var results = await search.BulkAsync("articles",
        [
            new BulkOperation("ok1", Article("Fine", "good text", "t", "2026-01-01", 1)),
            new BulkOperation("badnum", new JsonObject { ["views"] = "many" }),
            new BulkOperation("unknown", new JsonObject { ["color"] = "red" }),
            new BulkOperation("baddate", new JsonObject { ["published"] = "yesterday" }),
            new BulkOperation("", new JsonObject { ["tag"] = "x" }),
            new BulkOperation("ok2", new JsonObject { ["body"] = "good too" }),
            new BulkOperation("gone", null),
        ]);

        Assert.Equal([true, false, false, false, false, true, false], results.Select(r => r.Succeeded));
        Assert.Contains("views", results[1].Error, StringComparison.Ordinal);
        Assert.Contains("color", results[2].Error, StringComparison.Ordinal);
        Assert.Contains("published", results[3].Error, StringComparison.Ordinal);
        Assert.Equal(["ok1", "ok2"], Ids(await search.QueryAsync("articles", new SearchRequest(Match("body", "good")) { Sort = [new SearchSort("tag")] })).Order());
    }

    [SuiteFact]
    public async Task Monthly_indexes_are_queried_together_through_their_pattern()
    {
        using var search = Open();
        foreach (var month in new[] { 1, 2 })
        {
            var index = SearchIndexNames.Monthly("logs", new DateTimeOffset(2026, month, 10, 0, 0, 0, TimeSpan.Zero));
            await search.CreateIndexAsync(index, Articles);
            await search.IndexDocumentAsync(index, $"m{month}", Article($"Log {month}", "disk full", "ops", $"2026-{month:D2}-10T00:00:00Z", month));
        }

        await search.CreateIndexAsync("logsother", Articles);
        await search.IndexDocumentAsync("logsother", "x", Article("Other", "disk full", "ops", "2026-01-01", 0));

        var results = await search.QueryAsync(SearchIndexNames.MonthlyPattern("logs"), new SearchRequest(Match("body", "disk")) { Sort = [new SearchSort("published")] });

        Assert.Equal(["m1", "m2"], Ids(results));
        Assert.Equal(["logs-2026.01", "logs-2026.02"], results.Hits.Select(h => h.Index));
        Assert.Equal(0, (await search.QueryAsync("nothing-*", new SearchRequest(All()))).Total);
    }

    [SuiteTheory]
    [InlineData("Bad Name")]
    [InlineData("a/../b")]
    [InlineData("x\"; DROP TABLE search_mapped_indexes; --")]
    [InlineData("logs-2026.13")]
    [InlineData("_all")]
    [InlineData("*")]
    public async Task Unsafe_index_names_are_rejected(string index)
    {
        using var search = Open();

        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => search.CreateIndexAsync(index, Articles));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => search.QueryAsync(index, new SearchRequest(All())));
    }

    [SuiteFact]
    public async Task Bad_mappings_documents_and_queries_are_rejected_with_what_is_allowed()
    {
        using var search = await ArticlesAsync();

        await Assert.ThrowsAsync<MindoraValidationException>(() => search.CreateIndexAsync("bad", new SearchMapping(new Dictionary<string, SearchFieldType> { ["bad name"] = SearchFieldType.Text })));
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.CreateIndexAsync("bad", new SearchMapping(new Dictionary<string, SearchFieldType>())));
        await Assert.ThrowsAsync<MindoraConflictException>(() => search.CreateIndexAsync("articles", new SearchMapping(new Dictionary<string, SearchFieldType> { ["title"] = SearchFieldType.Keyword })));
        await search.CreateIndexAsync("articles", Articles); // the same mapping again is fine
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.IndexDocumentAsync("articles", "x", new JsonObject { ["views"] = "NaN" }));
        var unmapped = await Assert.ThrowsAsync<MindoraValidationException>(() => search.QueryAsync("articles", new SearchRequest(Term("color", "red"))));
        Assert.Contains("mapped: body, published, tag, title, views", unmapped.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.QueryAsync("articles", new SearchRequest(Range("title", gte: 1))));
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.QueryAsync("articles", new SearchRequest(All()) { Sort = [new SearchSort("body")] }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.QueryAsync("articles", new SearchRequest(All()) { After = "not-a-cursor" }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.QueryAsync("articles", new SearchRequest(All()) { Size = 101 }));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => search.QueryAsync("missing", new SearchRequest(All())));
        Assert.Equal(5, (await search.QueryAsync("articles", new SearchRequest(All()))).Total); // nothing was written
    }

    [SuiteFact]
    public async Task Another_app_cannot_see_or_change_a_mapped_index()
    {
        using var search = await ArticlesAsync();
        using var other = Open(App + "-x");

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.QueryAsync("articles", new SearchRequest(All())));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.DeleteDocumentAsync("articles", "a1"));
        Assert.Equal(0, (await other.QueryAsync("articles-*", new SearchRequest(All()))).Total);
        Assert.NotNull(await search.GetDocumentAsync("articles", "a1"));
    }
}
