namespace Mindora.Integrations.Search;

/// <summary>Checks of a <see cref="SearchRequest"/> that do not depend on the provider.</summary>
internal static class SearchRequests
{
    public const int MaxSize = 100;

    /// <summary>Checks the index (or pattern) and the request; returns the pattern's base name, or null for one index.</summary>
    public static string? Validate(string index, SearchRequest request)
    {
        var pattern = SearchIndexNames.PatternBase(index);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query is null)
        {
            throw new MindoraValidationException("request.Query", "A query is required (SearchQueries.All() for every document).");
        }

        if (request.Size is < 0 or > MaxSize)
        {
            throw new MindoraValidationException("request.Size", $"Size must be between 0 and {MaxSize}.");
        }

        if (request.Sort is null || request.Sort.Count > 8 || request.Highlight is null || request.Highlight.Count > 16 || request.Aggregations is null || request.Aggregations.Count > 16)
        {
            throw new MindoraValidationException("request", "Sort (at most 8 keys), Highlight (at most 16 fields) and Aggregations (at most 16) may not be null.");
        }

        foreach (var (name, aggregation) in request.Aggregations)
        {
            MindoraArguments.RequireIdentifier(name, "request.Aggregations", "aggregation name", 64);
            if (aggregation is TermsAggregation { Size: < 1 or > 1000 })
            {
                throw new MindoraValidationException("request.Aggregations", $"Terms aggregation '{name}' needs a size between 1 and 1000.");
            }

            if (aggregation is null or DateHistogramAggregation { Interval: < DateInterval.Hour or > DateInterval.Year })
            {
                throw new MindoraValidationException("request.Aggregations", $"Aggregation '{name}' is null or has an unknown interval.");
            }
        }

        return pattern;
    }

    /// <summary>The words that clauses on <paramref name="field"/> look for (not under MustNot), for highlighting.</summary>
    public static List<QueryTerm> HighlightTerms(SearchClause? clause, string field)
    {
        var terms = new List<QueryTerm>();
        void Visit(SearchClause? c)
        {
            switch (c)
            {
                case MatchClause m when m.Field == field && m.Text is not null:
                    terms.AddRange(FtsQuery.Terms(m.Text, splitCjk: true));
                    break;
                case PhraseClause p when p.Field == field && p.Text is not null:
                    terms.AddRange(FtsQuery.Terms(p.Text, splitCjk: true));
                    break;
                case TermClause t when t.Field == field && t.Value is string s:
                    terms.AddRange(FtsQuery.Terms(s, splitCjk: true));
                    break;
                case BoolClause b:
                    foreach (var inner in b.Must.Concat(b.Should).Concat(b.Filter))
                    {
                        Visit(inner);
                    }

                    break;
            }
        }

        Visit(clause);
        return terms;
    }
}
