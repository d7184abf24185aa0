using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Integrations.Search;

/// <summary>Mapped indexes of the embedded provider (see <see cref="MappedIndexCatalog"/> and <see cref="MappedQuerySql"/>).</summary>
internal sealed partial class EmbeddedSearchProvider
{
    private readonly ConcurrentDictionary<string, MappedIndex> _mapped = new(StringComparer.Ordinal);

    public Task CreateIndexAsync(string index, SearchMapping mapping, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        ArgumentNullException.ThrowIfNull(mapping);
        var fields = mapping.Validate();
        return _telemetry.RunAsync("create_index", _app, name, async () =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _mapped[name] = await _database.WriteAsync((session, ct) => MappedIndexCatalog.EnsureAsync(session, _app, name, fields, now, ct), cancellationToken);
        });
    }

    public Task IndexDocumentAsync(string index, string id, JsonObject document, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = ValidateDocumentId(id, nameof(id));
        return _telemetry.RunAsync("index", _app, name, async () =>
        {
            var mapped = await RequireMappedAsync(name, cancellationToken);
            var source = NormalizeDocument(document, mapped);
            await _database.WriteAsync(async (session, ct) =>
            {
                await MappedIndexCatalog.UpsertAsync(session, mapped, documentId, source, ct);
                return true;
            }, cancellationToken);
            CountIndexed(1, name);
        });
    }

    public Task<bool> UpdateDocumentAsync(string index, string id, JsonObject changes, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = ValidateDocumentId(id, nameof(id));
        ArgumentNullException.ThrowIfNull(changes);
        return _telemetry.RunAsync("update", _app, name, async () =>
        {
            var mapped = await RequireMappedAsync(name, cancellationToken);
            NormalizeDocument(changes, mapped, nameof(changes)); // fail before writing
            return await _database.WriteAsync(async (session, ct) =>
            {
                if (await MappedIndexCatalog.GetAsync(session, mapped, documentId, ct) is not { } current)
                {
                    return false;
                }

                foreach (var (field, value) in changes)
                {
                    current[field] = value?.DeepClone();
                }

                await MappedIndexCatalog.UpsertAsync(session, mapped, documentId, NormalizeDocument(current, mapped, nameof(changes)), ct);
                return true;
            }, cancellationToken);
        });
    }

    public Task<bool> DeleteDocumentAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = ValidateDocumentId(id, nameof(id));
        return _telemetry.RunAsync("delete", _app, name, async () =>
        {
            var mapped = await RequireMappedAsync(name, cancellationToken);
            return await _database.WriteAsync((session, ct) => MappedIndexCatalog.DeleteAsync(session, mapped, documentId, ct), cancellationToken);
        });
    }

    public Task<JsonObject?> GetDocumentAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        var documentId = ValidateDocumentId(id, nameof(id));
        return _telemetry.RunAsync("get", _app, name, async () =>
        {
            var mapped = await RequireMappedAsync(name, cancellationToken);
            return await _database.ReadAsync((session, ct) => MappedIndexCatalog.GetAsync(session, mapped, documentId, ct), cancellationToken);
        });
    }

    public Task<IReadOnlyList<BulkItemResult>> BulkAsync(string index, IReadOnlyList<BulkOperation> operations, CancellationToken cancellationToken = default)
    {
        var name = SearchIndexNames.Validate(index);
        SearchBulk.ValidateCount(operations);
        return _telemetry.RunAsync("bulk", _app, name, async () =>
        {
            var mapped = await RequireMappedAsync(name, cancellationToken);
            // Each operation is checked on its own: a bad one is reported, the others are applied (in one transaction).
            var results = new BulkItemResult[operations.Count];
            var valid = SearchBulk.Check(operations, d => NormalizeDocument(d, mapped, "operation.Document"), results);

            await _database.WriteAsync(async (session, ct) =>
            {
                foreach (var (slot, id, source) in valid)
                {
                    if (source is not null)
                    {
                        await MappedIndexCatalog.UpsertAsync(session, mapped, id, source, ct);
                        results[slot] = new BulkItemResult(id, null);
                    }
                    else
                    {
                        results[slot] = new BulkItemResult(id, await MappedIndexCatalog.DeleteAsync(session, mapped, id, ct) ? null : $"Document '{id}' was not found.");
                    }
                }

                return true;
            }, cancellationToken);
            CountIndexed(valid.Count(v => v.Source is not null), name);
            return (IReadOnlyList<BulkItemResult>)results;
        });
    }

    public Task<DocumentSearchResults> QueryAsync(string index, SearchRequest request, CancellationToken cancellationToken = default)
    {
        var pattern = SearchRequests.Validate(index, request);
        return _telemetry.RunAsync("query", _app, index, async () =>
        {
            var indexes = pattern is null
                ? [await RequireMappedAsync(index, cancellationToken)]
                : await _database.ReadAsync((session, ct) => MappedIndexCatalog.FindAsync(session, _app, n => SearchIndexNames.IsMonthlyOf(n, pattern), ct), cancellationToken);
            if (indexes.Count == 0)
            {
                return DocumentSearchResults.Empty;
            }

            var sql = new MappedQuerySql(indexes, request, _options.MaxScoredMatches);
            return await _database.ReadAsync((session, ct) => EmbeddedQueryRunner.RunAsync(session, sql, request, _options, ct), cancellationToken);
        });
    }

    private void CountIndexed(long count, string index) =>
        _indexed.Add(count, new System.Diagnostics.TagList { { MindoraInstrumentation.AppTag, _app }, { "mindora.index", index } });

    private JsonObject NormalizeDocument(JsonObject document, MappedIndex mapped, string parameterName = "document") =>
        SearchDocuments.Normalize(document, mapped.Fields, parameterName, _options.MaxDocumentBytes);

    private async Task<MappedIndex> RequireMappedAsync(string name, CancellationToken cancellationToken)
    {
        if (_mapped.TryGetValue(name, out var index))
        {
            return index;
        }

        var found = (await _database.ReadAsync((session, ct) => MappedIndexCatalog.FindAsync(session, _app, n => n == name, ct), cancellationToken)).FirstOrDefault()
            ?? throw new MindoraNotFoundException($"Search index '{name}' (create it with CreateIndexAsync and a mapping)");
        _mapped[name] = found;
        return found;
    }
}
