using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search.Elasticsearch;

/// <summary>
/// The JSON bodies the Elasticsearch provider sends: index settings and mappings, and the query
/// DSL for a <see cref="SearchRequest"/> (query, sort with the id as tie-breaker, search_after,
/// aggregations). Highlights are made by <see cref="SearchHighlighter"/> from the returned source,
/// so both providers mark the same words in the original text.
/// </summary>
internal static class ElasticsearchRequests
{
    /// <summary>The analyzer of text fields: CJK text as overlapping pairs plus single characters, width and case folded, diacritics removed; no stop words.</summary>
    public const string Analyzer = "mindora_text";

    /// <summary>The body of <c>PUT /{index}</c>: settings with the analyzer, strict mappings, and the owner in <c>_meta</c>.</summary>
    public static JsonObject CreateIndex(string app, string name, IEnumerable<KeyValuePair<string, SearchFieldType>> fields, JsonObject? extraProperties = null)
    {
        var properties = new JsonObject { [SearchMapping.IdField] = new JsonObject { ["type"] = "keyword" } };
        foreach (var (field, type) in fields)
        {
            properties[field] = type switch
            {
                SearchFieldType.Text => new JsonObject { ["type"] = "text", ["analyzer"] = Analyzer },
                SearchFieldType.Keyword => new JsonObject { ["type"] = "keyword" },
                SearchFieldType.Date => new JsonObject { ["type"] = "date" },
                _ => new JsonObject { ["type"] = "double" },
            };
        }

        foreach (var (field, value) in extraProperties ?? [])
        {
            properties[field] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["settings"] = new JsonObject
            {
                ["analysis"] = new JsonObject
                {
                    ["filter"] = new JsonObject { ["mindora_bigrams"] = new JsonObject { ["type"] = "cjk_bigram", ["output_unigrams"] = true } },
                    ["analyzer"] = new JsonObject
                    {
                        [Analyzer] = new JsonObject
                        {
                            ["type"] = "custom",
                            ["tokenizer"] = "standard",
                            ["filter"] = new JsonArray("cjk_width", "lowercase", "mindora_bigrams", "asciifolding"),
                        },
                    },
                },
            },
            ["mappings"] = new JsonObject
            {
                ["dynamic"] = "strict",
                ["_meta"] = new JsonObject { ["mindora_app"] = app, ["mindora_index"] = name },
                ["properties"] = properties,
            },
        };
    }

    /// <summary>The body of <c>POST /{indexes}/_search</c>.</summary>
    public static JsonObject Search(SearchFieldResolver fields, SearchRequest request, IReadOnlyList<SearchSort> sort, JsonArray? after)
    {
        var body = new JsonObject
        {
            ["query"] = Clause(fields, request.Query),
            ["size"] = request.Size,
            ["track_total_hits"] = true,
            ["track_scores"] = true,
            ["sort"] = new JsonArray([.. sort.Select(s => (JsonNode)(s.Field == SearchSort.Score
                ? new JsonObject { ["_score"] = new JsonObject { ["order"] = "desc" } }
                : new JsonObject { [s.Field] = new JsonObject { ["order"] = s.Descending ? "desc" : "asc", ["missing"] = "_last" } })),
                new JsonObject { [SearchMapping.IdField] = new JsonObject { ["order"] = "asc" } }]),
        };
        if (after is not null)
        {
            body["search_after"] = after;
        }

        if (request.Aggregations.Count > 0)
        {
            var aggs = new JsonObject();
            foreach (var (name, aggregation) in request.Aggregations)
            {
                aggs[name] = Aggregation(fields, aggregation);
            }

            body["aggs"] = aggs;
        }

        return body;
    }

    /// <summary>One clause in the query DSL.</summary>
    public static JsonObject Clause(SearchFieldResolver fields, SearchClause? clause) => clause switch
    {
        MatchAllClause => new JsonObject { ["match_all"] = new JsonObject() },
        MatchClause m => fields.TextClause(m.Field, m.Text, "match") == SearchFieldType.Text
            ? Leaf("match", m.Field, new JsonObject { ["query"] = m.Text, ["operator"] = "and" })
            : Leaf("term", m.Field, m.Text),
        PhraseClause p => fields.TextClause(p.Field, p.Text, "phrase") == SearchFieldType.Text
            ? Leaf("match_phrase", p.Field, p.Text)
            : Leaf("term", p.Field, p.Text),
        PrefixClause p => fields.TextClause(p.Field, p.Prefix, "prefix") == SearchFieldType.Text
            ? Leaf("match_phrase_prefix", p.Field, p.Prefix)
            : Leaf("prefix", p.Field, p.Prefix),
        TermClause t => fields.TypeOf(t.Field, "query") == SearchFieldType.Text
            ? Leaf("match", t.Field, new JsonObject { ["query"] = t.Value as string ?? throw new MindoraValidationException("query", $"A term on text field '{t.Field}' needs a string."), ["operator"] = "and" })
            : Leaf("term", t.Field, JsonValue.Create(fields.Value(t.Field, t.Value))),
        RangeClause r => Range(fields, r),
        BoolClause b => new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["must"] = Clauses(fields, b.Must),
                ["should"] = Clauses(fields, b.Should),
                ["filter"] = Clauses(fields, b.Filter),
                ["must_not"] = Clauses(fields, b.MustNot),
            },
        },
        null => throw new MindoraValidationException("query", "A query clause is null."),
        _ => throw new MindoraValidationException("query", $"Unknown query clause {clause.GetType().Name}."),
    };

    private static JsonArray Clauses(SearchFieldResolver fields, IReadOnlyList<SearchClause> clauses) =>
        new([.. clauses.Select(c => (JsonNode)Clause(fields, c))]);

    private static JsonObject Leaf(string kind, string field, JsonNode? value) =>
        new() { [kind] = new JsonObject { [field] = value } };

    private static JsonObject Range(SearchFieldResolver fields, RangeClause range)
    {
        if (fields.TypeOf(range.Field, "query") == SearchFieldType.Text)
        {
            throw new MindoraValidationException("query", $"Field '{range.Field}' is text; a range needs a keyword, date or number field.");
        }

        var bounds = new JsonObject();
        foreach (var (op, bound) in new[] { ("gte", range.GreaterThanOrEqual), ("gt", range.GreaterThan), ("lt", range.LessThan), ("lte", range.LessThanOrEqual) })
        {
            if (bound is not null)
            {
                bounds[op] = JsonValue.Create(fields.Value(range.Field, bound));
            }
        }

        return bounds.Count == 0 ? new JsonObject { ["exists"] = new JsonObject { ["field"] = range.Field } } : Leaf("range", range.Field, bounds);
    }

    private static JsonObject Aggregation(SearchFieldResolver fields, SearchAggregation aggregation) => aggregation switch
    {
        TermsAggregation t when fields.TypeOf(t.Field, "request.Aggregations") == SearchFieldType.Keyword => new JsonObject
        {
            ["terms"] = new JsonObject
            {
                ["field"] = t.Field,
                ["size"] = t.Size,
                ["order"] = new JsonArray(new JsonObject { ["_count"] = "desc" }, new JsonObject { ["_key"] = "asc" }),
            },
        },
        DateHistogramAggregation h when fields.TypeOf(h.Field, "request.Aggregations") == SearchFieldType.Date => new JsonObject
        {
            ["date_histogram"] = new JsonObject
            {
                ["field"] = h.Field,
                ["calendar_interval"] = h.Interval.ToString().ToLowerInvariant(),
                ["format"] = "yyyy-MM-dd'T'HH:mm:ss'Z'",
                ["time_zone"] = "UTC",
                ["min_doc_count"] = 1,
            },
        },
        StatsAggregation s when fields.TypeOf(s.Field, "request.Aggregations") == SearchFieldType.Number => new JsonObject
        {
            ["stats"] = new JsonObject { ["field"] = s.Field },
        },
        _ => throw new MindoraValidationException("request.Aggregations", "Terms aggregations need a keyword field, date histograms a date field, stats a number field."),
    };
}
