using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>
/// The fast path of one text clause on one index, best score first (see <see cref="MappedQuerySql.TextOnly"/>):
/// FTS5 counts the matches and picks the best page by bm25 on its own table, and only the page's
/// rows are joined to their JSON source and highlighted. The general path joins every match to
/// the documents table and carries its source through a CTE, which at 100,000 chunks costs
/// seconds for a frequent word. The order is the general path's: score descending, then id.
/// With <see cref="MindoraSearchOptions.MaxScoredMatches"/>, only the newest matches are scored
/// (the general path scores the same ones), so the cost of a frequent word is bounded too.
/// </summary>
internal static class EmbeddedTextQuery
{
    public static async Task<DocumentSearchResults> RunAsync(SqliteSession session, MappedQuerySql sql, SearchRequest request, MindoraSearchOptions options, CancellationToken cancellationToken)
    {
        var (index, match) = sql.TextOnly!.Value;
        long total;
        using (var count = sql.Bind(session.Command($"SELECT count(*) FROM {index.Fts} WHERE {index.Fts} MATCH {match}")))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var hits = new List<DocumentHit>(request.Size);
        if (request.Size == 0 || total == 0)
        {
            return new DocumentSearchResults(total, hits, new Dictionary<string, AggregationResult>());
        }

        // One row more than the page tells whether equal scores cross its end; those are then
        // ordered by id like the general path does, from all the rows of that score.
        var best = await PageAsync(session, sql, index, match, $"ORDER BY s LIMIT {request.Size + 1}", cancellationToken);
        if (best.Count > request.Size && best[request.Size].Score == best[request.Size - 1].Score)
        {
            var tie = best[request.Size].Score;
            var tied = await PageAsync(session, sql, index, match, $"WHERE s = {sql.P(tie)}", cancellationToken);
            best = [.. best.Where(b => b.Score < tie), .. tied];
        }

        var highlight = sql.Fields.Highlights(request);
        foreach (var (id, source, score) in best.OrderBy(b => b.Score).ThenBy(b => b.Id, StringComparer.Ordinal).Take(request.Size))
        {
            var document = JsonNode.Parse(source)!.AsObject();
            var cursor = new JsonArray(JsonValue.Create(-score), JsonValue.Create(id));
            hits.Add(new DocumentHit(index.Name, id, -score, document, SearchHighlighter.Fields(document, highlight, options.SnippetTokens), SearchCursor.Encode(cursor)));
        }

        return new DocumentSearchResults(total, hits, new Dictionary<string, AggregationResult>());
    }

    /// <summary>
    /// Scored matches (all, or the newest <see cref="MappedQuerySql.MaxScoredMatches"/>) with their bm25
    /// (smaller is better), after <paramref name="tail"/> (a condition on or an order of <c>s</c>), joined to their documents.
    /// </summary>
    private static async Task<List<(string Id, string Source, double Score)>> PageAsync(SqliteSession session, MappedQuerySql sql, MappedIndex index, string match, string tail, CancellationToken cancellationToken)
    {
        var scored = $"SELECT rowid AS r, bm25({index.Fts}) AS s FROM {index.Fts} WHERE {index.Fts} MATCH {match}{MappedQuerySql.Newest(sql.MaxScoredMatches)}";
        using var command = sql.Bind(session.Command(
            $"SELECT d.doc_id, d.source, t.s FROM (SELECT r, s FROM ({scored}) {tail}) AS t JOIN {index.Docs} AS d ON d.rid = t.r"));
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string, string, double)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetDouble(2)));
        }

        return rows;
    }
}
