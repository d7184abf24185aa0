using System.Text.Json.Nodes;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Search;

/// <summary>The search suite on the embedded provider: every instance opens the same directory, as the processes of one machine do.</summary>
public sealed class EmbeddedSearchTests(TempDirectory temp) : SearchSuite, IClassFixture<TempDirectory>
{
    private readonly string _directory = temp.NewStoreDirectory();

    private protected override ISearchProvider Open(string? app = null) => Stores.Search(_directory, app ?? App);

    [Fact]
    public async Task Index_made_with_the_word_tokenizer_keeps_working_after_the_default_changed()
    {
        using (var old = Stores.Search(_directory, App))
        {
            old.NewIndexTokenizer = SearchTokenizers.Words;
            await old.EnsureIndexAsync("legacy");
            await old.IndexAsync("legacy", new SearchDocument("1", "Old <b>index</b>", "Written before bigrams: 向量数据库 stays one word."));
        }

        using var current = Open();
        await current.EnsureIndexAsync("legacy");
        await current.IndexAsync("legacy", new SearchDocument("2", "Newer", "Added later: 东京 too."));

        var hit = Assert.Single((await current.SearchAsync("legacy", new SearchQuery("index"))).Hits);
        Assert.Equal("Old &lt;b&gt;<mark>index</mark>&lt;/b&gt;", hit.HighlightedTitle);
        Assert.Equal(["1"], (await current.SearchAsync("legacy", new SearchQuery("向量数据库"))).Hits.Select(h => h.Id));
        Assert.Equal(0, (await current.SearchAsync("legacy", new SearchQuery("向量"))).Total); // the old layout matches whole runs only
        Assert.Equal(["2"], (await current.SearchAsync("legacy", new SearchQuery("东京"))).Hits.Select(h => h.Id));
        await current.EnsureIndexAsync("fresh");
        await current.IndexAsync("fresh", new SearchDocument("1", "t", "向量数据库"));
        Assert.Equal(1, (await current.SearchAsync("fresh", new SearchQuery("向量"))).Total);
    }

    [Fact]
    public async Task With_a_bound_only_the_newest_matches_are_scored_and_older_ones_follow_unscored()
    {
        var app = "bounded" + Guid.NewGuid().ToString("N")[..8];
        using var search = Stores.Search(_directory, app, new MindoraSearchOptions { MaxScoredMatches = 1000 });
        await search.CreateIndexAsync("chunks", new SearchMapping(new Dictionary<string, SearchFieldType> { ["body"] = SearchFieldType.Text }));
        // The best match is written first, so 1,000 newer matches push it out of the scored ones.
        await search.IndexDocumentAsync("chunks", "oldest", new JsonObject { ["body"] = "alpha alpha alpha" });
        await search.BulkAsync("chunks", [.. Enumerable.Range(0, 1000).Select(i => new BulkOperation($"n{i:D4}", new JsonObject { ["body"] = "alpha beta gamma delta" }))]);
        await search.IndexDocumentAsync("chunks", "newest", new JsonObject { ["body"] = "alpha alpha beta" });

        var first = await search.QueryAsync("chunks", new SearchRequest(SearchQueries.Match("body", "alpha")) { Size = 3 });
        var rest = new List<DocumentHit>();
        for (var after = first.Hits[^1].Cursor; after is not null;)
        {
            var page = await search.QueryAsync("chunks", new SearchRequest(SearchQueries.Match("body", "alpha")) { Size = 100, After = after });
            rest.AddRange(page.Hits);
            after = page.Hits.Count == 100 ? page.Hits[^1].Cursor : null;
        }

        Assert.Equal(1002, first.Total);
        Assert.Equal(["newest", "n0001", "n0002"], first.Hits.Select(h => h.Id)); // n0000 is the 1,001st newest
        Assert.Equal(999, rest.Count);
        Assert.Equal(["n0000", "oldest"], rest.TakeLast(2).Select(h => h.Id));
        Assert.All(rest.TakeLast(2), h => Assert.Equal(0, h.Score));
        Assert.All(first.Hits, h => Assert.True(h.Score > 0));

        using var unbounded = Stores.Search(_directory, app);
        Assert.Equal("oldest", (await unbounded.QueryAsync("chunks", new SearchRequest(SearchQueries.Match("body", "alpha")))).Hits[0].Id);
    }

    [Fact]
    public void A_bound_below_the_minimum_is_a_configuration_error() =>
        Assert.Throws<MindoraConfigurationException>(() => Stores.Search(_directory, App, new MindoraSearchOptions { MaxScoredMatches = 10 }));
}
