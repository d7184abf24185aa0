using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Search;

/// <summary>
/// Turns a <see cref="SearchRequest"/> into SQL over one or more mapped indexes (a monthly
/// pattern is a UNION ALL). Text clauses become FTS5 MATCH strings built by <see cref="FtsQuery"/>
/// on numbered columns; other fields are compared through <c>json_extract</c> with the path as a
/// parameter. Caller text only ever travels in parameters.
/// </summary>
internal sealed class MappedQuerySql
{
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly SearchFieldResolver _fields;
    private readonly List<string> _matchParameters = [];

    public MappedQuerySql(IReadOnlyList<MappedIndex> indexes, SearchRequest request, int maxScoredMatches = 0)
    {
        MaxScoredMatches = maxScoredMatches;
        _fields = SearchFieldResolver.Union(indexes.Select(i => i.Fields));
        // Each index's scores are computed once (MATERIALIZED): a plain subquery on the right of a
        // LEFT JOIN would be re-run for every document row.
        var scores = new List<string>();
        var parts = new List<string>();
        foreach (var index in indexes)
        {
            var scoring = new List<string>();
            var where = Where(request.Query, index, scoring: true, scoring);
            var from = $"0.0 AS score FROM {index.Docs} AS d";
            if (scoring.Count > 0)
            {
                var cte = "sc" + scores.Count.ToString(CultureInfo.InvariantCulture);
                scores.Add($"{cte} AS MATERIALIZED (SELECT rowid AS r, bm25({index.Fts}) AS s FROM {index.Fts} WHERE {index.Fts} MATCH {P(string.Join(" OR ", scoring.Select(s => "(" + s + ")")))}{Newest(maxScoredMatches)})");
                from = $"coalesce(-{cte}.s, 0.0) AS score FROM {index.Docs} AS d LEFT JOIN {cte} ON {cte}.r = d.rid";
            }

            parts.Add($"SELECT {P(index.Name)} AS idx, d.doc_id AS id, d.source AS source, {from} WHERE {where}");
        }

        scores.Add("matched AS (" + string.Join(" UNION ALL ", parts) + ")");
        Matched = "WITH " + string.Join(", ", scores) + " ";
        Sort = _fields.Sort(request);
        if (indexes.Count == 1 && request.Query is MatchClause or PhraseClause or PrefixClause or TermClause && _matchParameters.Count == 1
            && Sort is [{ Field: SearchSort.Score }] && request.After is null && request.Aggregations.Count == 0)
        {
            TextOnly = (indexes[0], _matchParameters[0]);
        }
    }

    /// <summary>
    /// Set when the request is one text clause on one index, best score first, first page, no
    /// aggregations: FTS5 alone then ranks and counts (<see cref="EmbeddedQueryRunner"/>'s fast
    /// path), without the <see cref="Matched"/> CTE that carries every match's JSON source.
    /// </summary>
    public (MappedIndex Index, string Match)? TextOnly { get; }

    /// <summary>0, or how many of the newest matches are scored (<see cref="MindoraSearchOptions.MaxScoredMatches"/>).</summary>
    public int MaxScoredMatches { get; }

    /// <summary>The clause that keeps the scored rows of an FTS5 query to the newest <paramref name="max"/> (none for 0).</summary>
    public static string Newest(int max) => max > 0 ? " ORDER BY rowid DESC LIMIT " + max.ToString(CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>The CTE <c>matched(idx, id, source, score)</c> to prefix queries with.</summary>
    public string Matched { get; }

    /// <summary>The sort keys (the id is added as the last tie-breaker).</summary>
    public IReadOnlyList<SearchSort> Sort { get; }

    public SearchFieldResolver Fields => _fields;

    /// <summary>A key expression over <c>matched</c>: missing values sort last either way.</summary>
    public string SortKey(SearchSort sort) => sort.Field == SearchSort.Score
        ? "score"
        : sort.Descending ? Json(sort.Field, "source") : $"ifnull({Json(sort.Field, "source")}, X'FF')";

    /// <summary>The condition "after the cursor" in the sort order.</summary>
    public string After(IReadOnlyList<object?> values)
    {
        // (k1 > v1) OR (k1 IS v1 AND ((k2 > v2) OR (k2 IS v2 AND id > vid)))
        var condition = "id > " + P(values[^1]);
        for (var i = Sort.Count - 1; i >= 0; i--)
        {
            var key = SortKey(Sort[i]);
            var descending = Sort[i].Field == SearchSort.Score || Sort[i].Descending;
            var value = values[i] ?? (descending ? null : new byte[] { 0xFF });
            var p = P(value);
            // Descending, missing values (NULL) come last: after any present value.
            var beyond = descending ? $"{key} < {p} OR ({key} IS NULL AND {p} IS NOT NULL)" : $"{key} > {p}";
            condition = $"({beyond} OR ({key} IS {p} AND ({condition})))";
        }

        return condition;
    }

    /// <summary>The JSON value of a field of <paramref name="column"/>.</summary>
    public string Json(string field, string column = "d.source") => $"json_extract({column}, {P("$." + field)})";

    /// <summary>A new parameter holding <paramref name="value"/>; returns its name.</summary>
    public string P(object? value)
    {
        var name = "@p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return name;
    }

    public SqliteCommand Bind(SqliteCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            command.With(name, value);
        }

        return command;
    }

    private string Where(SearchClause? clause, MappedIndex index, bool scoring, List<string> scores) => clause switch
    {
        MatchAllClause => "1",
        MatchClause m => Text(m.Field, m.Text, index, scoring, scores, "match", t => FtsQuery.ToMatch(FtsQuery.Terms(t, splitCjk: true), bigrams: true)),
        PhraseClause p => Text(p.Field, p.Text, index, scoring, scores, "phrase", FtsQuery.Phrase),
        PrefixClause p => _fields.TypeOf(p.Field, "query") == SearchFieldType.Keyword
            ? $"substr({Json(p.Field)}, 1, {P(NotNull(p.Prefix, "prefix").Length)}) = {P(p.Prefix)}"
            : Text(p.Field, p.Prefix, index, scoring, scores, "prefix", FtsQuery.Prefix),
        TermClause t => _fields.TypeOf(t.Field, "query") == SearchFieldType.Text
            ? Text(t.Field, t.Value as string ?? throw new MindoraValidationException("query", $"A term on text field '{t.Field}' needs a string."), index, scoring, scores, "term", w => FtsQuery.ToMatch(FtsQuery.Terms(w, splitCjk: true), bigrams: true))
            : $"{Json(t.Field)} = {P(_fields.Value(t.Field, t.Value))}",
        RangeClause r => Range(r),
        BoolClause b => Bool(b, index, scoring, scores),
        null => throw new MindoraValidationException("query", "A query clause is null."),
        _ => throw new MindoraValidationException("query", $"Unknown query clause {clause.GetType().Name}."),
    };

    private string Text(string field, string? text, MappedIndex index, bool scoring, List<string> scores, string kind, Func<string, string?> match)
    {
        if (_fields.TextClause(field, text, kind) == SearchFieldType.Keyword && kind is "match" or "phrase")
        {
            return $"{Json(field)} = {P(text)}";
        }

        if (_fields.Fields[field] != SearchFieldType.Text)
        {
            throw new MindoraValidationException("query", $"Field '{field}' is a keyword; a {kind} query on it needs a text field (use Term or Prefix).");
        }

        var expression = match(text!);
        if (expression is null || !index.Fields.ContainsKey(field))
        {
            return "0"; // no words, or a pattern index that does not map the field
        }

        var filtered = index.Column(field) + " : (" + expression + ")";
        if (scoring)
        {
            scores.Add(filtered);
        }

        var parameter = P(filtered);
        _matchParameters.Add(parameter);
        return $"d.rid IN (SELECT rowid FROM {index.Fts} WHERE {index.Fts} MATCH {parameter})";
    }

    private string Range(RangeClause range)
    {
        var type = _fields.TypeOf(range.Field, "query");
        if (type == SearchFieldType.Text)
        {
            throw new MindoraValidationException("query", $"Field '{range.Field}' is text; a range needs a keyword, date or number field.");
        }

        var conditions = new List<string>();
        void Add(object? bound, string op)
        {
            if (bound is not null)
            {
                conditions.Add($"{Json(range.Field)} {op} {P(_fields.Value(range.Field, bound))}");
            }
        }

        Add(range.GreaterThanOrEqual, ">=");
        Add(range.GreaterThan, ">");
        Add(range.LessThan, "<");
        Add(range.LessThanOrEqual, "<=");
        return conditions.Count == 0 ? $"{Json(range.Field)} IS NOT NULL" : string.Join(" AND ", conditions);
    }

    private string Bool(BoolClause clause, MappedIndex index, bool scoring, List<string> scores)
    {
        var all = new List<string>();
        all.AddRange(clause.Must.Select(c => Where(c, index, scoring, scores)));
        all.AddRange(clause.Filter.Select(c => Where(c, index, scoring: false, scores)));
        all.AddRange(clause.MustNot.Select(c => "NOT (" + Where(c, index, scoring: false, scores) + ")"));
        var should = clause.Should.Select(c => Where(c, index, scoring, scores)).ToList();
        if (should.Count > 0 && clause.Must.Count == 0 && clause.Filter.Count == 0)
        {
            all.Add("(" + string.Join(" OR ", should.Select(s => "(" + s + ")")) + ")");
        }

        return all.Count == 0 ? "1" : string.Join(" AND ", all.Select(c => "(" + c + ")"));
    }

    private static string NotNull(string? text, string kind) =>
        text ?? throw new MindoraValidationException("query", $"A {kind} query needs a text.");
}
