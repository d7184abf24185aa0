namespace Mindora.Integrations.Search;

/// <summary>Settings of the Search capability, bound from the configuration section <c>Mindora:Search</c>.</summary>
public sealed class MindoraSearchOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Search";

    /// <summary>How much more a title match counts than a content match (BM25 column weight). Default 5.</summary>
    public double TitleWeight { get; set; } = 5.0;

    /// <summary>The length of snippets in tokens, 1 to 64. Default 32.</summary>
    public int SnippetTokens { get; set; } = 32;

    /// <summary>
    /// Embedded only: at most this many matches of a query's text clauses are scored with BM25,
    /// the newest ones; older matches still match and count, with score 0, after the scored ones.
    /// 0 (the default) scores every match. FTS5 computes BM25 row by row, about 2–5 µs each, so a
    /// word found in 90,000 chunks costs hundreds of milliseconds; a bound such as 5,000 keeps
    /// such queries near 20 ms, at the price of ranking only the newest part of a huge result.
    /// </summary>
    public int MaxScoredMatches { get; set; }

    /// <summary>The smallest <see cref="MaxScoredMatches"/> other than 0 (more than the largest page).</summary>
    public const int MinScoredMatches = 1000;

    /// <summary>The largest document (id, title, content and fields, UTF-8) in bytes. Default 8 MiB.</summary>
    public int MaxDocumentBytes { get; set; } = 8 * 1024 * 1024;
}
