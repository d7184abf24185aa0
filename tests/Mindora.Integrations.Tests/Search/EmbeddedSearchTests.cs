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
}
