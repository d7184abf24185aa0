using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>A registered mapped index: its table id, name and fields (text fields numbered as FTS columns).</summary>
internal sealed class MappedIndex(long id, string name, IReadOnlyDictionary<string, SearchFieldType> fields)
{
    private readonly List<string> _textFields = [.. fields.Where(f => f.Value == SearchFieldType.Text).Select(f => f.Key).Order(StringComparer.Ordinal)];

    public long Id { get; } = id;

    public string Name { get; } = name;

    public IReadOnlyDictionary<string, SearchFieldType> Fields { get; } = fields;

    public string Docs => "\"mdocs_" + Id.ToString(CultureInfo.InvariantCulture) + "\"";

    public string Fts => "\"mfts_" + Id.ToString(CultureInfo.InvariantCulture) + "\"";

    public IReadOnlyList<string> TextFields => _textFields;

    /// <summary>The FTS5 column of a text field: <c>c0</c>, <c>c1</c>… (never caller text).</summary>
    public string Column(string field) => "c" + _textFields.IndexOf(field).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The SQL of mapped indexes in <c>search.db</c>: a registry row per (app, index) with its mapping,
/// a table <c>mdocs_{id}</c> (document id, JSON source) and an FTS5 table <c>mfts_{id}</c> with one
/// bigram column per text field. Keyword, date and number fields are read from the JSON source.
/// </summary>
internal static class MappedIndexCatalog
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS search_mapped_indexes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            app TEXT NOT NULL,
            name TEXT NOT NULL,
            mapping TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (app, name))
        """;

    public static async Task<List<MappedIndex>> FindAsync(SqliteSession session, string app, Func<string, bool> name, CancellationToken cancellationToken)
    {
        using var command = session.Command("SELECT id, name, mapping FROM search_mapped_indexes WHERE app = @app ORDER BY name").With("@app", app);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<MappedIndex>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (name(reader.GetString(1)))
            {
                found.Add(new MappedIndex(reader.GetInt64(0), reader.GetString(1), JsonSerializer.Deserialize<Dictionary<string, SearchFieldType>>(reader.GetString(2))!));
            }
        }

        return found;
    }

    /// <summary>Registers the index and creates its tables; an existing index must have the same mapping.</summary>
    public static async Task<MappedIndex> EnsureAsync(SqliteSession session, string app, string name, IReadOnlyList<KeyValuePair<string, SearchFieldType>> fields, long now, CancellationToken cancellationToken)
    {
        var mapping = JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
        if ((await FindAsync(session, app, n => n == name, cancellationToken)).FirstOrDefault() is { } existing)
        {
            return existing.Fields.Count == fields.Count && fields.All(f => existing.Fields.TryGetValue(f.Key, out var t) && t == f.Value)
                ? existing
                : throw new MindoraConflictException($"Search index '{name}' exists with another mapping; a mapping cannot change (create a new index).");
        }

        long id;
        using (var insert = session.Command("INSERT INTO search_mapped_indexes (app, name, mapping, created_at) VALUES (@app, @name, @mapping, @now) RETURNING id")
            .With("@app", app).With("@name", name).With("@mapping", mapping).With("@now", now))
        {
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        var index = new MappedIndex(id, name, fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
        using (var docs = session.Command($"CREATE TABLE {index.Docs} (rid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL)"))
        {
            await docs.ExecuteNonQueryAsync(cancellationToken);
        }

        // FTS5 needs a column; an index without text fields gets one that stays empty.
        var columns = index.TextFields.Count == 0 ? "c0" : string.Join(", ", index.TextFields.Select(index.Column));
        using var fts = session.Command($"CREATE VIRTUAL TABLE {index.Fts} USING fts5({columns}, tokenize = {SearchTokenizers.ToSqlLiteral(SearchTokenizers.Words)})");
        await fts.ExecuteNonQueryAsync(cancellationToken);
        return index;
    }

    public static async Task<JsonObject?> GetAsync(SqliteSession session, MappedIndex index, string id, CancellationToken cancellationToken)
    {
        using var command = session.Command($"SELECT source FROM {index.Docs} WHERE doc_id = @id").With("@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonNode.Parse(json)!.AsObject() : null;
    }

    /// <summary>Adds or replaces a (normalized) document.</summary>
    public static async Task UpsertAsync(SqliteSession session, MappedIndex index, string id, JsonObject source, CancellationToken cancellationToken)
    {
        long rowid;
        using (var upsert = session.Command($"INSERT INTO {index.Docs} (doc_id, source) VALUES (@id, @source) ON CONFLICT (doc_id) DO UPDATE SET source = excluded.source RETURNING rid")
            .With("@id", id).With("@source", source.ToJsonString()))
        {
            rowid = (long)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        }

        using (var delete = session.Command($"DELETE FROM {index.Fts} WHERE rowid = @rowid").With("@rowid", rowid))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (index.TextFields.Count == 0)
        {
            return;
        }

        using var insert = session.Command(
            $"INSERT INTO {index.Fts} (rowid, {string.Join(", ", index.TextFields.Select(index.Column))}) VALUES (@rowid, {string.Join(", ", index.TextFields.Select((_, i) => "@t" + i.ToString(CultureInfo.InvariantCulture)))})")
            .With("@rowid", rowid);
        for (var i = 0; i < index.TextFields.Count; i++)
        {
            var text = source[index.TextFields[i]]?.GetValue<string>() ?? string.Empty;
            insert.With("@t" + i.ToString(CultureInfo.InvariantCulture), SearchText.ToBigrams(text));
        }

        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> DeleteAsync(SqliteSession session, MappedIndex index, string id, CancellationToken cancellationToken)
    {
        long? rowid;
        using (var delete = session.Command($"DELETE FROM {index.Docs} WHERE doc_id = @id RETURNING rid").With("@id", id))
        {
            rowid = await delete.ExecuteScalarAsync(cancellationToken) as long?;
        }

        if (rowid is null)
        {
            return false;
        }

        using var deleteFts = session.Command($"DELETE FROM {index.Fts} WHERE rowid = @rowid").With("@rowid", rowid);
        await deleteFts.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }
}
