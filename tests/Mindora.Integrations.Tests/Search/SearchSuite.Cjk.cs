using Mindora.Integrations.Search;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Search;

/// <summary>Chinese, Japanese and Korean text: found by any substring of it, highlighted in the original text.</summary>
public abstract partial class SearchSuite
{
    [SuiteFact]
    public async Task Chinese_query_finds_the_document_that_contains_it_and_marks_the_original_text()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("zh", "数据库简介", "向量数据库是一种数据库，用于存储向量。"));
        await search.IndexAsync("docs", new SearchDocument("en", "Databases", "A vector database stores vectors."));

        var results = await search.SearchAsync("docs", new SearchQuery("向量数据库"));

        var hit = Assert.Single(results.Hits);
        Assert.Equal("zh", hit.Id);
        Assert.Equal("<mark>向量数据库</mark>是一种数据库，用于存储向量。", hit.Snippet);
        Assert.Equal("数据库简介", hit.HighlightedTitle);
    }

    [SuiteTheory]
    [InlineData("向量", "<mark>向量</mark>数据库是一种数据库")]
    [InlineData("数据库", "向量<mark>数据库</mark>是一种<mark>数据库</mark>")]
    [InlineData("一种", "向量数据库是<mark>一种</mark>数据库")]
    [InlineData("库", "向量数据<mark>库</mark>是一种数据<mark>库</mark>")]
    public async Task Chinese_substrings_of_one_or_more_characters_are_found(string query, string snippet)
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("zh", "简介", "向量数据库是一种数据库"));

        var hit = Assert.Single((await search.SearchAsync("docs", new SearchQuery(query))).Hits);

        Assert.Equal(snippet, hit.Snippet);
    }

    [SuiteTheory]
    [InlineData("数据向量")]
    [InlineData("库向")]
    [InlineData("图书馆")]
    public async Task Chinese_text_that_does_not_occur_is_not_found(string query)
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("zh", "简介", "向量数据库是一种数据库"));

        Assert.Equal(0, (await search.SearchAsync("docs", new SearchQuery(query))).Total);
    }

    [SuiteFact]
    public async Task Mixed_chinese_and_english_text_is_found_by_either_part()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("mixed", "Mindora指南", "Mindora支持Elasticsearch和向量数据库。"));
        await search.IndexAsync("docs", new SearchDocument("other", "Guide", "Mindora supports search."));

        Assert.Equal(["mixed"], (await search.SearchAsync("docs", new SearchQuery("mindora 向量"))).Hits.Select(h => h.Id));
        Assert.Equal(["mixed"], (await search.SearchAsync("docs", new SearchQuery("elasticsearch数据库"))).Hits.Select(h => h.Id));
        var hit = Assert.Single((await search.SearchAsync("docs", new SearchQuery("指南"))).Hits);
        Assert.Equal("Mindora<mark>指南</mark>", hit.HighlightedTitle);
        var both = Assert.Single((await search.SearchAsync("docs", new SearchQuery("Elasticsearch 支持"))).Hits);
        Assert.Equal("Mindora<mark>支持</mark><mark>Elasticsearch</mark>和向量数据库。", both.Snippet);
    }

    [SuiteTheory]
    [InlineData("東京タワーは高い", "タワー")]
    [InlineData("東京タワーは高い", "東京")]
    [InlineData("벡터 데이터베이스는 빠르다", "데이터")]
    public async Task Japanese_and_korean_substrings_are_found(string content, string query)
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        await search.IndexAsync("docs", new SearchDocument("1", "t", content));

        var hit = Assert.Single((await search.SearchAsync("docs", new SearchQuery(query))).Hits);

        Assert.Contains($"<mark>{query}</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [SuiteFact]
    public async Task Snippet_of_long_chinese_content_is_cut_around_the_match()
    {
        using var search = Open();
        await search.EnsureIndexAsync("docs");
        var filler = string.Concat(Enumerable.Repeat("天气很好我们去公园散步", 20));
        await search.IndexAsync("docs", new SearchDocument("long", "长文", filler + "向量数据库" + filler));

        var hit = Assert.Single((await search.SearchAsync("docs", new SearchQuery("向量数据库"))).Hits);

        Assert.Contains("<mark>向量数据库</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.StartsWith("…", hit.Snippet, StringComparison.Ordinal);
        Assert.EndsWith("…", hit.Snippet, StringComparison.Ordinal);
        Assert.InRange(hit.Snippet.Length, 20, 80);
    }
}
