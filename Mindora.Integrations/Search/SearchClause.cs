namespace Mindora.Integrations.Search;

/// <summary>A typed query clause; build them with <see cref="SearchQueries"/>.</summary>
public abstract record SearchClause;

/// <summary>All words of <see cref="Text"/> occur in the text field (a keyword field: equals the whole text).</summary>
public sealed record MatchClause(string Field, string Text) : SearchClause;

/// <summary>The words of <see cref="Text"/> occur in this order, next to each other, in the text field.</summary>
public sealed record PhraseClause(string Field, string Text) : SearchClause;

/// <summary>The keyword field equals the string, or the number field equals the number.</summary>
public sealed record TermClause(string Field, object Value) : SearchClause;

/// <summary>The keyword, date or number field lies in the range; null bounds are open.</summary>
public sealed record RangeClause(string Field, object? GreaterThanOrEqual = null, object? LessThan = null, object? GreaterThan = null, object? LessThanOrEqual = null) : SearchClause;

/// <summary>The keyword field starts with <see cref="Prefix"/>, or a word of the text field does.</summary>
public sealed record PrefixClause(string Field, string Prefix) : SearchClause;

/// <summary>
/// Every <see cref="Must"/> and <see cref="Filter"/> clause holds, no <see cref="MustNot"/> clause
/// does, and — when there is no Must or Filter clause — at least one <see cref="Should"/> clause.
/// Must and Should clauses score; Filter and MustNot do not.
/// </summary>
public sealed record BoolClause : SearchClause
{
    /// <summary>Clauses that must hold and score.</summary>
    public IReadOnlyList<SearchClause> Must { get; init; } = [];

    /// <summary>Clauses that score; at least one must hold when there is no Must or Filter.</summary>
    public IReadOnlyList<SearchClause> Should { get; init; } = [];

    /// <summary>Clauses that must hold without scoring.</summary>
    public IReadOnlyList<SearchClause> Filter { get; init; } = [];

    /// <summary>Clauses that must not hold.</summary>
    public IReadOnlyList<SearchClause> MustNot { get; init; } = [];
}

/// <summary>Every document.</summary>
public sealed record MatchAllClause : SearchClause;

/// <summary>Builds query clauses: <c>SearchQueries.Bool(must: [SearchQueries.Match("body", "向量")], filter: [SearchQueries.Term("tag", "ai")])</c>.</summary>
public static class SearchQueries
{
    /// <summary>Every document.</summary>
    public static SearchClause All() => new MatchAllClause();

    /// <summary>All words of <paramref name="text"/> in <paramref name="field"/>.</summary>
    public static SearchClause Match(string field, string text) => new MatchClause(field, text);

    /// <summary>The words of <paramref name="text"/> in order in <paramref name="field"/>.</summary>
    public static SearchClause Phrase(string field, string text) => new PhraseClause(field, text);

    /// <summary>A keyword equals <paramref name="value"/>.</summary>
    public static SearchClause Term(string field, string value) => new TermClause(field, value);

    /// <summary>A number equals <paramref name="value"/>.</summary>
    public static SearchClause Term(string field, double value) => new TermClause(field, value);

    /// <summary>A keyword starts with <paramref name="prefix"/> (or a word of a text field does).</summary>
    public static SearchClause Prefix(string field, string prefix) => new PrefixClause(field, prefix);

    /// <summary>A number in [<paramref name="gte"/>, <paramref name="lt"/>); null bounds are open.</summary>
    public static SearchClause Range(string field, double? gte = null, double? lt = null) => new RangeClause(field, gte, lt);

    /// <summary>A date in [<paramref name="from"/>, <paramref name="before"/>); null bounds are open.</summary>
    public static SearchClause Range(string field, DateTimeOffset? from = null, DateTimeOffset? before = null) => new RangeClause(field, from, before);

    /// <summary>A boolean combination.</summary>
    public static SearchClause Bool(
        IReadOnlyList<SearchClause>? must = null,
        IReadOnlyList<SearchClause>? should = null,
        IReadOnlyList<SearchClause>? filter = null,
        IReadOnlyList<SearchClause>? mustNot = null) =>
        new BoolClause { Must = must ?? [], Should = should ?? [], Filter = filter ?? [], MustNot = mustNot ?? [] };
}
