using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Search;

/// <summary>
/// The SQL of <c>search.db</c>. A registry maps (app, index) to a generated integer id; each index
/// is a pair of tables named only from that id: <c>docs_{id}</c> (document id → rowid, fields) and
/// the FTS5 table <c>fts_{id}</c> (title, content) sharing its rowids. No caller text ever becomes
/// an identifier, and each index keeps its own BM25 statistics, so apps never influence each other's ranking.
/// </summary>
internal static class SearchIndexCatalog
{
    public static IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS search_indexes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            app TEXT NOT NULL,
            name TEXT NOT NULL,
            tokenizer TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (app, name))
        """,
        MappedIndexCatalog.Schema,
    ];

    public static async Task<SearchIndexInfo?> FindAsync(SqliteSession session, string app, string name, CancellationToken cancellationToken)
    {
        using var command = session.Command("SELECT id, tokenizer FROM search_indexes WHERE app = @app AND name = @name")
            .With("@app", app).With("@name", name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SearchIndexInfo(reader.GetInt64(0), SearchTokenizers.UsesBigrams(reader.GetString(1)))
            : null;
    }

    /// <summary>Registers the index and creates its tables, unless it exists.</summary>
    public static async Task<SearchIndexInfo> EnsureAsync(SqliteSession session, string app, string name, string tokenizer, long now, CancellationToken cancellationToken)
    {
        if (await FindAsync(session, app, name, cancellationToken) is { } existing)
        {
            return existing;
        }

        long id;
        using (var insert = session.Command("INSERT INTO search_indexes (app, name, tokenizer, created_at) VALUES (@app, @name, @tokenizer, @now) RETURNING id")
            .With("@app", app).With("@name", name).With("@tokenizer", tokenizer).With("@now", now))
        {
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        var bigrams = SearchTokenizers.UsesBigrams(tokenizer);
        var (docs, fts) = Tables(id);
        using (var createDocs = session.Command($"CREATE TABLE {docs} (rid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, fields TEXT)"))
        {
            await createDocs.ExecuteNonQueryAsync(cancellationToken);
        }

        // A bigram index searches rewritten text and shows the original, kept in unindexed columns.
        var columns = bigrams ? "title, content, title_raw UNINDEXED, content_raw UNINDEXED" : "title, content";
        using var createFts = session.Command($"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, tokenize = {SearchTokenizers.ToSqlLiteral(tokenizer)})");
        await createFts.ExecuteNonQueryAsync(cancellationToken);
        return new SearchIndexInfo(id, bigrams);
    }

    /// <summary>Adds or replaces a document: the docs row keeps its rowid, the FTS row is rewritten.</summary>
    public static async Task UpsertAsync(SqliteSession session, SearchIndexInfo index, string id, string title, string content, string? fieldsJson, CancellationToken cancellationToken)
    {
        var (docs, fts) = Tables(index.Id);
        long rowid;
        using (var upsert = session.Command($"INSERT INTO {docs} (doc_id, fields) VALUES (@id, @fields) ON CONFLICT (doc_id) DO UPDATE SET fields = excluded.fields RETURNING rid")
            .With("@id", id).With("@fields", fieldsJson))
        {
            rowid = (long)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        }

        using (var delete = session.Command($"DELETE FROM {fts} WHERE rowid = @rowid").With("@rowid", rowid))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        using var insert = index.Bigrams
            ? session.Command($"INSERT INTO {fts} (rowid, title, content, title_raw, content_raw) VALUES (@rowid, @title, @content, @titleRaw, @contentRaw)")
                .With("@rowid", rowid).With("@title", SearchText.ToBigrams(title)).With("@content", SearchText.ToBigrams(content))
                .With("@titleRaw", title).With("@contentRaw", content)
            : session.Command($"INSERT INTO {fts} (rowid, title, content) VALUES (@rowid, @title, @content)")
                .With("@rowid", rowid).With("@title", title).With("@content", content);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> DeleteAsync(SqliteSession session, SearchIndexInfo index, string id, CancellationToken cancellationToken)
    {
        var (docs, fts) = Tables(index.Id);
        long? rowid;
        using (var delete = session.Command($"DELETE FROM {docs} WHERE doc_id = @id RETURNING rid").With("@id", id))
        {
            rowid = await delete.ExecuteScalarAsync(cancellationToken) as long?;
        }

        if (rowid is null)
        {
            return false;
        }

        using var deleteFts = session.Command($"DELETE FROM {fts} WHERE rowid = @rowid").With("@rowid", rowid);
        await deleteFts.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Counts the matches and reads one page, best first (BM25; ties by insertion order).</summary>
    public static async Task<SearchResults> SearchAsync(SqliteSession session, SearchIndexInfo index, IReadOnlyList<QueryTerm> terms, SearchQuery query, MindoraSearchOptions options, CancellationToken cancellationToken)
    {
        var match = FtsQuery.ToMatch(terms, index.Bigrams)!;
        var (docs, fts) = Tables(index.Id);
        long total;
        using (var count = session.Command($"SELECT count(*) FROM {fts} WHERE {fts} MATCH @match").With("@match", match))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        if (total <= query.From)
        {
            return new SearchResults(total, []);
        }

        // FTS5 auxiliary functions need the table name itself (an alias is rejected), hence no alias.
        // Highlights are made here from the original text (FTS5's would show a bigram index's pairs).
        var raw = index.Bigrams ? "_raw" : string.Empty;
        using var page = session.Command(
            $"""
            SELECT d.doc_id, {fts}.title{raw}, bm25({fts}, @titleWeight, 1.0) AS score, {fts}.content{raw}, d.fields
            FROM {fts} JOIN {docs} AS d ON d.rid = {fts}.rowid
            WHERE {fts} MATCH @match
            ORDER BY score, {fts}.rowid
            LIMIT @size OFFSET @from
            """)
            .With("@match", match).With("@titleWeight", options.TitleWeight)
            .With("@size", query.Size).With("@from", query.From);
        var hits = new List<SearchHit>(query.Size);
        using var reader = await page.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var title = reader.GetString(1);
            hits.Add(new SearchHit(
                reader.GetString(0),
                title,
                -reader.GetDouble(2), // bm25() is lower-is-better; callers expect higher-is-better
                SearchHighlighter.Highlight(title, terms, index.Bigrams),
                SearchHighlighter.Snippet(reader.GetString(3), terms, index.Bigrams, options.SnippetTokens),
                SearchFields.FromJson(reader.GetNullableString(4))));
        }

        return new SearchResults(total, hits);
    }

    private static (string Docs, string Fts) Tables(long index)
    {
        var suffix = index.ToString(CultureInfo.InvariantCulture);
        return ("\"docs_" + suffix + "\"", "\"fts_" + suffix + "\"");
    }
}

/// <summary>A registered index: its table id and whether it stores CJK bigrams.</summary>
internal sealed record SearchIndexInfo(long Id, bool Bigrams);
