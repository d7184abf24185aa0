using Mindora.Integrations.Search;

namespace Mindora.Integrations.Tests.Search;

public sealed class FtsQueryTests
{
    [Theory]
    [InlineData("hello world", "\"hello\" \"world\"")]
    [InlineData("  AND(  NEAR \"x\" ", "\"AND\" \"NEAR\" \"x\"")]
    [InlineData("title:report*", "\"title\" \"report\"")]
    [InlineData("-x", "\"x\"")]
    [InlineData("état 東京 2024", "\"état\" \"東京\" \"2024\"")]
    [InlineData("repeat Repeat REPEAT", "\"repeat\"")]
    public void Words_become_quoted_fts5_strings(string text, string expected) => Assert.Equal(expected, FtsQuery.Build(text));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\"*:-()^")]
    [InlineData("\u0301\u0302")]
    public void Text_without_words_builds_no_query(string text) => Assert.Null(FtsQuery.Build(text));

    [Fact]
    public void Lone_surrogates_separate_words()
    {
        Assert.Null(FtsQuery.Build(new string('\ud800', 1)));
        Assert.Equal("\"a\" \"b\"", FtsQuery.Build("a" + '\udc00' + "b"));
        Assert.Equal("\"\ud840\udc0b\"", FtsQuery.Build("\ud840\udc0b")); // a CJK letter outside the BMP stays one word
    }

    [Fact]
    public void At_most_32_distinct_words_are_used()
    {
        var text = string.Join(' ', Enumerable.Range(0, 50).Select(i => $"w{i}"));
        Assert.Equal(FtsQuery.MaxTerms, FtsQuery.Build(text)!.Split(' ').Length);
    }

    [Theory]
    [InlineData("向量数据库", "\"向量 量数 数据 据库\"")]
    [InlineData("向量", "\"向量\"")]
    [InlineData("库", "\"库\"*")]
    [InlineData("Mindora向量 db", "\"Mindora\" \"向量\" \"db\"")]
    [InlineData("東京タワー", "\"東京 京タ タワ ワー\"")]
    public void Cjk_words_become_bigram_phrases_in_a_bigram_index(string text, string expected) =>
        Assert.Equal(expected, FtsQuery.ToMatch(FtsQuery.Terms(text, splitCjk: true), bigrams: true));

    [Theory]
    [InlineData("向量数据库是一种", "向量 量数 数据 据库 库是 是一 一种 种 ")]
    [InlineData("Mindora支持ES", "Mindora 支持 持 ES ")]
    [InlineData("a 库 b", "a 库 b ")]
    public void Cjk_runs_are_indexed_as_overlapping_pairs_and_their_last_character(string text, string expected) =>
        Assert.Equal(expected, SearchText.ToBigrams(text));
}
