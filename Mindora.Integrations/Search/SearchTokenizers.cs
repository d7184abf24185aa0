namespace Mindora.Integrations.Search;

/// <summary>
/// The FTS5 tokenizers an index can be created with. Each index records its tokenizer, so a new
/// default (e.g. one that handles CJK) applies to new indexes without touching existing ones.
/// Only values from this list ever reach DDL.
/// </summary>
internal static class SearchTokenizers
{
    /// <summary>Unicode word splitting, case folding, diacritics removed (é matches e).</summary>
    public const string Default = "unicode61 remove_diacritics 2";

    private static readonly string[] Known = [Default];

    /// <summary>The tokenizer as an SQL string literal for <c>CREATE VIRTUAL TABLE … USING fts5(…, tokenize = …)</c>.</summary>
    public static string ToSqlLiteral(string tokenizer) =>
        Known.Contains(tokenizer, StringComparer.Ordinal)
            ? "'" + tokenizer + "'"
            : throw new MindoraConfigurationException($"Unknown search tokenizer '{tokenizer}'.");
}
