using Mindora.Integrations.Search;

namespace Mindora.Integrations.Tests.Search;

public sealed class HighlightHtmlTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a \u0002match\u0003 b", "a <mark>match</mark> b")]
    [InlineData("<i>\u0002x\u0003</i>", "&lt;i&gt;<mark>x</mark>&lt;/i&gt;")]
    [InlineData("\u0003stray close \u0002open to end", "stray close <mark>open to end</mark>")]
    [InlineData("café 日本 …", "café 日本 …")]
    public void Sentinels_become_marks_and_everything_else_is_encoded(string marked, string expected) =>
        Assert.Equal(expected, HighlightHtml.Encode(marked));
}
