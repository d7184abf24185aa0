using Mindora.Integrations.Search;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Search;

/// <summary>
/// Full-text search behaviour, run against every provider (one subclass each). Each test works in
/// a new app (<see cref="App"/>), so tests never see each other's indexes on a shared server.
/// </summary>
public abstract partial class SearchSuite
{
    /// <summary>The app of this test.</summary>
    protected string App { get; } = "s" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A new instance of the provider for <paramref name="app"/> (this test's app when null): what another process would open.</summary>
    private protected abstract ISearchProvider Open(string? app = null);

    [SuiteFact]
    public async Task Indexed_document_is_found_with_marked_highlights()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("q1", "Quarterly report", "Revenue grew in the first quarter while costs fell.")
        {
            Fields = new Dictionary<string, string> { ["bucket"] = "uploads", ["key"] = "q1.pdf" },
        });

        var results = await search.SearchAsync("docs", new SearchQuery("revenue"));

        Assert.Equal(1, results.Total);
        var hit = Assert.Single(results.Hits);
        Assert.Equal("q1", hit.Id);
        Assert.Equal("Quarterly report", hit.Title);
        Assert.Equal("Quarterly report", hit.HighlightedTitle);
        Assert.Contains("<mark>Revenue</mark> grew", hit.Snippet, StringComparison.Ordinal);
        Assert.Equal("q1.pdf", hit.Fields["key"]);
        Assert.True(hit.Score > 0);
    }

    [SuiteFact]
    public async Task Title_matches_rank_above_content_matches()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("content", "Meeting notes", "We discussed the invoice for March and other topics."));
        await search.IndexAsync("docs", new SearchDocument("title", "Invoice March", "Amounts due for services rendered this month."));
        for (var i = 0; i < 5; i++)
        {
            await search.IndexAsync("docs", new SearchDocument($"filler{i}", $"Filler {i}", "Unrelated text about gardening."));
        }

        var results = await search.SearchAsync("docs", new SearchQuery("invoice"));

        Assert.Equal(["title", "content"], results.Hits.Select(h => h.Id));
        Assert.Equal("<mark>Invoice</mark> March", results.Hits[0].HighlightedTitle);
        Assert.True(results.Hits[0].Score > results.Hits[1].Score);
    }

    [SuiteFact]
    public async Task All_words_must_match_in_any_order_ignoring_case_and_diacritics()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("a", "Café menu", "Crème brûlée and espresso"));
        await search.IndexAsync("docs", new SearchDocument("b", "Tea menu", "Green tea and espresso"));

        Assert.Equal(["a"], (await search.SearchAsync("docs", new SearchQuery("ESPRESSO cafe"))).Hits.Select(h => h.Id));
        Assert.Equal(["a"], (await search.SearchAsync("docs", new SearchQuery("creme brulee"))).Hits.Select(h => h.Id));
        Assert.Equal(2, (await search.SearchAsync("docs", new SearchQuery("espresso"))).Total);
    }

    [SuiteFact]
    public async Task Indexing_an_existing_id_replaces_the_document()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "Alpha", "original words") { Fields = new Dictionary<string, string> { ["v"] = "1" } });

        await search.IndexAsync("docs", new SearchDocument("1", "Beta", "replacement words") { Fields = new Dictionary<string, string> { ["v"] = "2" } });

        Assert.Equal(0, (await search.SearchAsync("docs", new SearchQuery("original"))).Total);
        var hits = (await search.SearchAsync("docs", new SearchQuery("words"))).Hits;
        var hit = Assert.Single(hits);
        Assert.Equal("Beta", hit.Title);
        Assert.Equal("2", hit.Fields["v"]);
    }

    [SuiteFact]
    public async Task Deleted_document_is_no_longer_found()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "Keep", "shared term"));
        await search.IndexAsync("docs", new SearchDocument("2", "Remove", "shared term"));

        Assert.True(await search.DeleteAsync("docs", "2"));
        Assert.False(await search.DeleteAsync("docs", "2"));

        Assert.Equal(["1"], (await search.SearchAsync("docs", new SearchQuery("shared"))).Hits.Select(h => h.Id));
    }

    [SuiteFact]
    public async Task Html_in_documents_comes_back_encoded_with_only_mark_tags()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("x", "<b>Bold</b> & \"quoted\" danger", "Before <script>alert('danger')</script> after \u0002fake\u0003 marks."));

        var hit = Assert.Single((await search.SearchAsync("docs", new SearchQuery("danger"))).Hits);

        Assert.Equal("&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; <mark>danger</mark>", hit.HighlightedTitle);
        Assert.DoesNotContain("<script", hit.Snippet, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>danger</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark>fake", hit.Snippet, StringComparison.Ordinal);
        Assert.Equal("<b>Bold</b> & \"quoted\" danger", hit.Title);
    }

    [SuiteFact]
    public async Task Snippet_of_long_content_is_cut_with_an_ellipsis()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        var words = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"w{i}"));
        await search.IndexAsync("docs", new SearchDocument("long", "Long", words.Replace("w100", "needle", StringComparison.Ordinal)));

        var hit = Assert.Single((await search.SearchAsync("docs", new SearchQuery("needle"))).Hits);

        Assert.Contains("<mark>needle</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.StartsWith("…", hit.Snippet, StringComparison.Ordinal);
        Assert.EndsWith("…", hit.Snippet, StringComparison.Ordinal);
        Assert.InRange(hit.Snippet.Split(' ').Length, 20, 40);
    }

    [SuiteTheory]
    [InlineData("\"")]
    [InlineData("\"unbalanced")]
    [InlineData("*")]
    [InlineData("report*")]
    [InlineData("AND(")]
    [InlineData("AND")]
    [InlineData("NEAR")]
    [InlineData("NEAR(report quarterly, 2)")]
    [InlineData("-x")]
    [InlineData(":")]
    [InlineData("title:report")]
    [InlineData("{title content}: report")]
    [InlineData("^report")]
    [InlineData("report OR NOT quarterly")]
    [InlineData("(((")]
    [InlineData("'; DROP TABLE search_indexes; --")]
    [InlineData("\u0301")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Hostile_query_text_never_throws(string text)
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "Quarterly report", "x and near title"));

        var results = await search.SearchAsync("docs", new SearchQuery(text));

        Assert.InRange(results.Total, 0, 1);
        Assert.Equal(results.Total, results.Hits.Count);
    }

    [SuiteFact]
    public async Task Query_with_lone_surrogates_never_throws()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "Quarterly report", "text"));

        var results = await search.SearchAsync("docs", new SearchQuery('\ud800' + " report " + '\udc00'));

        Assert.Equal(1, results.Total);
    }

    [SuiteFact]
    public async Task Operators_in_the_query_are_plain_words()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "Report", "quarterly"));
        await search.IndexAsync("docs", new SearchDocument("2", "Report", "not this one"));

        // As FTS5 syntax this would be "report AND NOT quarterly"; as words it needs "not" too.
        var results = await search.SearchAsync("docs", new SearchQuery("report NOT quarterly"));

        Assert.Equal(0, results.Total);
        Assert.Equal(["2"], (await search.SearchAsync("docs", new SearchQuery("report NOT"))).Hits.Select(h => h.Id));
    }

    [SuiteFact]
    public async Task Query_without_words_returns_no_hits()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "Something", "text"));

        var results = await search.SearchAsync("docs", new SearchQuery("!!! ... ---"));

        Assert.Equal(0, results.Total);
        Assert.Empty(results.Hits);
    }

    [SuiteFact]
    public async Task Paging_returns_consecutive_distinct_pages_and_the_total()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        for (var i = 0; i < 25; i++)
        {
            await search.IndexAsync("docs", new SearchDocument($"d{i}", $"Document {i}", "common term"));
        }

        var pages = new List<SearchResults>();
        for (var from = 0; from < 30; from += 10)
        {
            pages.Add(await search.SearchAsync("docs", new SearchQuery("common") { From = from, Size = 10 }));
        }

        Assert.All(pages, p => Assert.Equal(25, p.Total));
        Assert.Equal([10, 10, 5], pages.Select(p => p.Hits.Count));
        Assert.Equal(25, pages.SelectMany(p => p.Hits).Select(h => h.Id).Distinct().Count());
        Assert.Empty((await search.SearchAsync("docs", new SearchQuery("common") { From = 40 })).Hits);
    }

    [SuiteTheory]
    [InlineData(0, 0)]
    [InlineData(101, 0)]
    [InlineData(10, -1)]
    public async Task Out_of_range_size_or_from_is_rejected(int size, int from)
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");

        await Assert.ThrowsAsync<MindoraValidationException>(() => search.SearchAsync("docs", new SearchQuery("x") { Size = size, From = from }));
    }

    [SuiteTheory]
    [InlineData("")]
    [InlineData("a\u0000b")]
    [InlineData("tab\tid")]
    public async Task Invalid_document_ids_are_rejected(string id)
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");

        await Assert.ThrowsAsync<MindoraValidationException>(() => search.IndexAsync("docs", new SearchDocument(id, "t", "c")));
    }

    [SuiteFact]
    public async Task Document_ids_up_to_200_characters_are_accepted()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");

        await search.IndexAsync("docs", new SearchDocument(new string('i', 200), "t", "c"));
        await Assert.ThrowsAsync<MindoraValidationException>(() => search.IndexAsync("docs", new SearchDocument(new string('i', 201), "t", "c")));
    }

    [SuiteFact]
    public async Task Unknown_index_is_not_found()
    {
        using var search = Open();

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => search.SearchAsync("missing", new SearchQuery("x")));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => search.IndexAsync("missing", new SearchDocument("1", "t", "c")));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => search.EnsureIndexAsync("Bad Name"));
    }

    [SuiteFact]
    public async Task Another_app_cannot_see_the_index()
    {
        using var docs = Open();
        using var other = Open(App + "-other");
        await docs.EnsureIndexAsync("articles");
        await docs.IndexAsync("articles", new SearchDocument("1", "Secret plan", "confidential"));

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.SearchAsync("articles", new SearchQuery("confidential")));
        await other.EnsureIndexAsync("articles");
        Assert.Equal(0, (await other.SearchAsync("articles", new SearchQuery("confidential"))).Total);
        Assert.False(await other.DeleteAsync("articles", "1"));
        Assert.Equal(1, (await docs.SearchAsync("articles", new SearchQuery("confidential"))).Total);
    }

    [SuiteFact]
    public async Task App_and_index_names_with_dashes_do_not_collide()
    {
        using var docs = Open();
        using var docsA = Open(App + "-a");
        await docs.EnsureIndexAsync("a-b");
        await docsA.EnsureIndexAsync("b");
        await docs.IndexAsync("a-b", new SearchDocument("1", "Mine", "private"));

        Assert.Equal(0, (await docsA.SearchAsync("b", new SearchQuery("private"))).Total);
    }

    [SuiteFact]
    public async Task Index_created_by_one_instance_is_usable_by_another()
    {
        using var api = Open();
        using var worker = Open();
        await worker.EnsureIndexAsync("docs");
        await worker.IndexAsync("docs", new SearchDocument("1", "From the worker", "indexed elsewhere"));

        Assert.Equal(1, (await api.SearchAsync("docs", new SearchQuery("elsewhere"))).Total);
    }
}
