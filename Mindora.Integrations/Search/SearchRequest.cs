namespace Mindora.Integrations.Search;

/// <summary>A query on a mapped index (or a monthly pattern such as <c>logs-*</c>).</summary>
/// <param name="Query">What must match.</param>
public sealed record SearchRequest(SearchClause Query)
{
    /// <summary>The page size, 0 to 100 (0: only the total and aggregations). Default 10.</summary>
    public int Size { get; init; } = 10;

    /// <summary>The order; empty means best score first. The document id always breaks ties.</summary>
    public IReadOnlyList<SearchSort> Sort { get; init; } = [];

    /// <summary>The <see cref="DocumentHit.Cursor"/> of the last hit of the previous page (search_after); null for the first page.</summary>
    public string? After { get; init; }

    /// <summary>Text fields to highlight in each hit.</summary>
    public IReadOnlyList<string> Highlight { get; init; } = [];

    /// <summary>Aggregations over all matching documents, by result name.</summary>
    public IReadOnlyDictionary<string, SearchAggregation> Aggregations { get; init; } = new Dictionary<string, SearchAggregation>();
}

/// <summary>One sort key: a keyword, date or number field, or <see cref="Score"/>. Documents without the field come last.</summary>
/// <param name="Field">The field, or <c>_score</c>.</param>
/// <param name="Descending">Largest first.</param>
public sealed record SearchSort(string Field, bool Descending = false)
{
    /// <summary>The relevance score (always best first).</summary>
    public const string Score = "_score";
}

/// <summary>An aggregation over the matching documents.</summary>
public abstract record SearchAggregation;

/// <summary>The most frequent values of a keyword field (count descending, then value).</summary>
/// <param name="Field">A keyword field.</param>
/// <param name="Size">How many buckets, 1 to 1000.</param>
public sealed record TermsAggregation(string Field, int Size = 10) : SearchAggregation;

/// <summary>Counts per calendar interval (UTC) of a date field, oldest first; empty intervals are left out.</summary>
/// <param name="Field">A date field.</param>
/// <param name="Interval">The calendar interval.</param>
public sealed record DateHistogramAggregation(string Field, DateInterval Interval) : SearchAggregation;

/// <summary>Count, minimum, maximum, average and sum of a number field.</summary>
/// <param name="Field">A number field.</param>
public sealed record StatsAggregation(string Field) : SearchAggregation;

/// <summary>A calendar interval of a date histogram.</summary>
public enum DateInterval
{
    /// <summary>One hour.</summary>
    Hour,

    /// <summary>One day.</summary>
    Day,

    /// <summary>One calendar month.</summary>
    Month,

    /// <summary>One calendar year.</summary>
    Year,
}
