using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Search;

/// <summary>
/// Full-text search on SQLite FTS5 in <c>{dir}/search.db</c>, shared by the processes of one
/// machine. Indexes are registered per (app, index) and map to generated tables (see
/// <see cref="SearchIndexCatalog"/>); queries are rebuilt from words (see <see cref="FtsQuery"/>)
/// and highlights are made HTML-safe (see <see cref="HighlightHtml"/>).
/// </summary>
internal sealed partial class EmbeddedSearchProvider : ISearchProvider
{
    private readonly SqliteDatabase _database;
    private readonly string _app;
    private readonly MindoraSearchOptions _options;
    private readonly TimeProvider _time;
    private readonly MindoraInstrumentation _telemetry;
    private readonly Counter<long> _indexed;

    // Indexes are never dropped, so an id once resolved stays valid for the life of the provider.
    private readonly ConcurrentDictionary<string, SearchIndexInfo> _indexIds = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>The tokenizer new indexes are created with (tests set the old one to check it keeps working).</summary>
    internal string NewIndexTokenizer { get; set; } = SearchTokenizers.Default;

    public EmbeddedSearchProvider(string directory, string app, MindoraSearchOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        if (!(options.TitleWeight > 0) || options.SnippetTokens is < 1 or > 64 || options.MaxDocumentBytes <= 0 || options.MaxScoredMatches is < 0 or (> 0 and < MindoraSearchOptions.MinScoredMatches))
        {
            throw new MindoraConfigurationException($"{MindoraSearchOptions.SectionName}: TitleWeight must be greater than 0, SnippetTokens between 1 and 64, MaxDocumentBytes greater than 0, MaxScoredMatches 0 (all) or at least {MindoraSearchOptions.MinScoredMatches}.");
        }

        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _time = time;
        _database = new SqliteDatabase(directory, "search.db", "search", SearchIndexCatalog.Schema, durableCommits: false);
        _telemetry = new MindoraInstrumentation("Search", "mindora.search", "search", "mindora.index", meterFactory);
        _indexed = _telemetry.CreateCounter("documents_indexed", "{document}", "Documents added or replaced.");
    }

    public Task EnsureIndexAsync(string index, CancellationToken cancellationToken = default)
    {
        var name = ValidateIndex(index);
        if (_indexIds.ContainsKey(name))
        {
            return Task.CompletedTask;
        }

        return _telemetry.RunAsync("ensure_index", _app, name, async () =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _indexIds[name] = await _database.WriteAsync(
                (session, ct) => SearchIndexCatalog.EnsureAsync(session, _app, name, NewIndexTokenizer, now, ct),
                cancellationToken);
        });
    }

    public Task IndexAsync(string index, SearchDocument document, CancellationToken cancellationToken = default)
    {
        var name = ValidateIndex(index);
        ArgumentNullException.ThrowIfNull(document);
        var (id, fieldsJson) = SearchValidation.Document(document, _options);
        var title = HighlightHtml.StripSentinels(document.Title);
        var content = HighlightHtml.StripSentinels(document.Content);
        return _telemetry.RunAsync("index", _app, name, async () =>
        {
            var indexId = await RequireIndexAsync(name, cancellationToken);
            await _database.WriteAsync(
                async (session, ct) =>
                {
                    await SearchIndexCatalog.UpsertAsync(session, indexId, id, title, content, fieldsJson, ct);
                    return true;
                },
                cancellationToken);
            _indexed.Add(1, new TagList { { MindoraInstrumentation.AppTag, _app }, { "mindora.index", name } });
        });
    }

    public Task<bool> DeleteAsync(string index, string id, CancellationToken cancellationToken = default)
    {
        var name = ValidateIndex(index);
        var documentId = ValidateDocumentId(id, nameof(id));
        return _telemetry.RunAsync("delete", _app, name, async () =>
        {
            var indexId = await RequireIndexAsync(name, cancellationToken);
            return await _database.WriteAsync((session, ct) => SearchIndexCatalog.DeleteAsync(session, indexId, documentId, ct), cancellationToken);
        });
    }

    public Task<SearchResults> SearchAsync(string index, SearchQuery query, CancellationToken cancellationToken = default)
    {
        var name = ValidateIndex(index);
        SearchValidation.Query(query);
        return _telemetry.RunAsync("query", _app, name, async () =>
        {
            var index = await RequireIndexAsync(name, cancellationToken);
            var terms = FtsQuery.Terms(query.Text, splitCjk: index.Bigrams);
            if (terms.Count == 0)
            {
                return new SearchResults(0, []);
            }

            return await _database.ReadAsync((session, ct) => SearchIndexCatalog.SearchAsync(session, index, terms, query, _options, ct), cancellationToken);
        });
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => _database.ProbeAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _database.Dispose();
            _telemetry.Dispose();
        }
    }

    private async Task<SearchIndexInfo> RequireIndexAsync(string name, CancellationToken cancellationToken)
    {
        if (_indexIds.TryGetValue(name, out var id))
        {
            return id;
        }

        var found = await _database.ReadAsync((session, ct) => SearchIndexCatalog.FindAsync(session, _app, name, ct), cancellationToken)
            ?? throw new MindoraNotFoundException($"Search index '{name}' (create it with EnsureIndexAsync)");
        _indexIds[name] = found;
        return found;
    }

    private static string ValidateIndex(string index) => MindoraNames.ValidateLogicalName(index, "index", nameof(index));

    private static string ValidateDocumentId(string? id, string parameterName) => SearchValidation.DocumentId(id, parameterName);
}
