namespace Mindora.Integrations.Search;

/// <summary>
/// A full-text query: the words of <see cref="Text"/> must all occur (in any order, case and
/// diacritics ignored). Operators and punctuation in the text are treated as plain separators.
/// </summary>
/// <param name="Text">What the user typed, up to 1000 characters; at most the first 32 distinct words are used.</param>
public sealed record SearchQuery(string Text)
{
    /// <summary>How many hits to return, 1 to 100. Default 10.</summary>
    public int Size { get; init; } = 10;

    /// <summary>How many hits to skip (paging), 0 to 10000. Default 0.</summary>
    public int From { get; init; }
}
