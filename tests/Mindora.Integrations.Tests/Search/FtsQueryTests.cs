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
}
