using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Search;

/// <summary>Runs a <see cref="MappedQuerySql"/>: the total, one page after the cursor, highlights and aggregations.</summary>
internal static class EmbeddedQueryRunner
{
    public static async Task<DocumentSearchResults> RunAsync(SqliteSession session, MappedQuerySql sql, SearchRequest request, MindoraSearchOptions options, CancellationToken cancellationToken)
    {
        if (sql.TextOnly is not null)
        {
            return await EmbeddedTextQuery.RunAsync(session, sql, request, options, cancellationToken);
        }

        var highlight = sql.Fields.Highlights(request);
        var keys = sql.Sort.Select(sql.SortKey).ToList();
        var after = request.After is null ? null : Cursor(SearchCursor.Decode(request.After, keys.Count + 1), keys.Count);
        var aggregations = request.Aggregations.Select(a => (a.Key, a.Value, Sql: Aggregation(sql, a.Value))).ToList();

        long total;
        using (var count = sql.Bind(session.Command(sql.Matched + "SELECT count(*) FROM matched")))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var hits = new List<DocumentHit>(request.Size);
        if (request.Size > 0)
        {
            var where = after is null ? string.Empty : " WHERE " + sql.After(after);
            var order = string.Join(", ", sql.Sort.Select((s, i) => keys[i] + (s.Descending ? " DESC" : " ASC")));
            using var page = sql.Bind(session.Command(
                $"{sql.Matched}SELECT idx, id, source, score{string.Concat(keys.Select(k => ", " + k))} FROM matched{where} ORDER BY {order}, id LIMIT {request.Size}"));
            using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = JsonNode.Parse(reader.GetString(2))!.AsObject();
                var cursor = new JsonArray();
                for (var i = 0; i < keys.Count; i++)
                {
                    cursor.Add(reader.GetValue(4 + i) switch
                    {
                        long l => JsonValue.Create(l),
                        double d => JsonValue.Create(d),
                        string s => JsonValue.Create(s),
                        _ => null, // a missing value (NULL, or the blob that sorts missing values last)
                    });
                }

                cursor.Add(reader.GetString(1));
                hits.Add(new DocumentHit(reader.GetString(0), reader.GetString(1), reader.GetDouble(3), source, SearchHighlighter.Fields(source, highlight, options.SnippetTokens), SearchCursor.Encode(cursor)));
            }
        }

        var results = new Dictionary<string, AggregationResult>(StringComparer.Ordinal);
        foreach (var (name, aggregation, query) in aggregations)
        {
            using var command = sql.Bind(session.Command(sql.Matched + query));
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (aggregation is StatsAggregation)
            {
                await reader.ReadAsync(cancellationToken);
                var n = reader.GetInt64(0);
                results[name] = new AggregationResult([], new FieldStats(n, Nullable(reader, 1), Nullable(reader, 2), Nullable(reader, 3), reader.GetDouble(4)));
                continue;
            }

            var buckets = new List<AggregationBucket>();
            while (await reader.ReadAsync(cancellationToken))
            {
                buckets.Add(new AggregationBucket(reader.GetString(0), reader.GetInt64(1)));
            }

            results[name] = new AggregationResult(buckets);
        }

        return new DocumentSearchResults(total, hits, results);
    }

    private static string Aggregation(MappedQuerySql sql, SearchAggregation aggregation)
    {
        switch (aggregation)
        {
            case TermsAggregation terms when sql.Fields.TypeOf(terms.Field, "request.Aggregations") == SearchFieldType.Keyword:
                var value = sql.Json(terms.Field, "source");
                return $"SELECT {value} AS k, count(*) AS c FROM matched WHERE k IS NOT NULL GROUP BY k ORDER BY c DESC, k LIMIT {terms.Size}";
            case DateHistogramAggregation histogram when sql.Fields.TypeOf(histogram.Field, "request.Aggregations") == SearchFieldType.Date:
                var date = sql.Json(histogram.Field, "source");
                var key = histogram.Interval switch
                {
                    DateInterval.Hour => $"substr({date}, 1, 13) || ':00:00Z'",
                    DateInterval.Day => $"substr({date}, 1, 10) || 'T00:00:00Z'",
                    DateInterval.Month => $"substr({date}, 1, 7) || '-01T00:00:00Z'",
                    _ => $"substr({date}, 1, 4) || '-01-01T00:00:00Z'",
                };
                return $"SELECT {key} AS k, count(*) AS c FROM matched WHERE {date} IS NOT NULL GROUP BY k ORDER BY k";
            case StatsAggregation stats when sql.Fields.TypeOf(stats.Field, "request.Aggregations") == SearchFieldType.Number:
                var number = sql.Json(stats.Field, "source");
                return $"SELECT count({number}), min({number}), max({number}), avg({number}), total({number}) FROM matched";
            default:
                throw new MindoraValidationException("request.Aggregations", "Terms aggregations need a keyword field, date histograms a date field, stats a number field.");
        }
    }

    private static List<object?> Cursor(JsonArray values, int keys)
    {
        var decoded = new List<object?>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            decoded.Add(values[i] switch
            {
                null when i < keys => null,
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && i < keys => v.GetValue<double>(),
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                _ => throw new MindoraValidationException("request.After", "The cursor is not one returned by this query."),
            });
        }

        return decoded;
    }

    private static double? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
