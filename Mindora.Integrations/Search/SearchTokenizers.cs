namespace Mindora.Integrations.Search;

/// <summary>
/// How an index turns text into terms. Each index records its tokenizer at creation, so a new
/// default applies to new indexes while existing ones keep working as they were built. Only
/// values from this list ever reach DDL.
/// </summary>
internal static class SearchTokenizers
{
    /// <summary>
    /// The first layout: FTS5 unicode61 on the raw text (case folded, diacritics removed). A CJK
    /// run is one term, so CJK text is found only by the exact run.
    /// </summary>
    public const string Words = "unicode61 remove_diacritics 2";

    /// <summary>
    /// unicode61 on text whose CJK runs are rewritten as overlapping character pairs (see
    /// <see cref="SearchText.ToBigrams"/>), the original kept beside it for display: any CJK
    /// substring of one or more characters is found, mixed with other scripts.
    /// </summary>
    public const string CjkBigrams = "cjk-bigrams";

    /// <summary>What new indexes use.</summary>
    public const string Default = CjkBigrams;

    /// <summary>True when the index stores bigram text and keeps the original in separate columns.</summary>
    public static bool UsesBigrams(string tokenizer) => tokenizer switch
    {
        CjkBigrams => true,
        Words => false,
        _ => throw Unknown(tokenizer),
    };

    /// <summary>The FTS5 tokenizer as an SQL string literal for <c>CREATE VIRTUAL TABLE … USING fts5(…, tokenize = …)</c>.</summary>
    public static string ToSqlLiteral(string tokenizer) => tokenizer switch
    {
        CjkBigrams or Words => "'" + Words + "'",
        _ => throw Unknown(tokenizer),
    };

    private static MindoraConfigurationException Unknown(string tokenizer) => new($"Unknown search tokenizer '{tokenizer}' (known: '{Words}', '{CjkBigrams}').");
}
