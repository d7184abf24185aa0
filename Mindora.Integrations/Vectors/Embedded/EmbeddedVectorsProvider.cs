using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// Vectors in <c>{dir}/vectors.db</c> (SQLite: collections, points with payloads, a change log),
/// searched in memory: exact SIMD search for small collections, an HNSW graph from
/// <see cref="MindoraVectorsOptions.HnswThreshold"/> points on. Every process keeps its own mirror
/// and catches up from the change log before each read, so what one process writes the next
/// search of another finds. The graph is persisted next to the database
/// (<see cref="HnswGraphFile"/>): a process that first loads a large collection restores it from
/// there and links in only what changed since, and builds it (then writes it) when the file is
/// missing, damaged or does not match.
/// </summary>
internal sealed class EmbeddedVectorsProvider : IVectorsProvider
{
    private static readonly string[] DropStatements =
    [
        "DELETE FROM vector_points WHERE collection_id = @c",
        "DELETE FROM vector_deletions WHERE collection_id = @c",
        "DELETE FROM vector_collections WHERE id = @c",
    ];

    private readonly SqliteDatabase _database;
    private readonly string _directory;
    private readonly string _app;
    private readonly MindoraVectorsOptions _options;
    private readonly TimeProvider _time;
    private readonly VectorsTelemetry _telemetry;
    private readonly ConcurrentDictionary<string, CollectionState> _states = new(StringComparer.Ordinal);
    private int _disposed;
    private int _graphsBuilt;
    private int _graphsLoaded;

    public EmbeddedVectorsProvider(string directory, string app, MindoraVectorsOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        VectorValidation.Options(options);
        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _time = time;
        _directory = directory;
        _database = new SqliteDatabase(directory, "vectors.db", "vectors", VectorStoreSchema.Statements, durableCommits: false);
        _telemetry = new VectorsTelemetry(meterFactory);
    }

    /// <summary>True when searches of the collection currently go through HNSW (for tests and benchmarks).</summary>
    internal async Task<bool> UsesHnswAsync(string collection, CancellationToken cancellationToken) =>
        (await SyncAsync(Full(collection), cancellationToken)).UsesHnsw;

    /// <summary>HNSW graphs this instance built from the vectors (for tests and benchmarks).</summary>
    internal int GraphsBuilt => Volatile.Read(ref _graphsBuilt);

    /// <summary>HNSW graphs this instance restored from a persisted file (for tests and benchmarks).</summary>
    internal int GraphsLoaded => Volatile.Read(ref _graphsLoaded);

    /// <summary>Exact search regardless of size (the reference for recall measurements).</summary>
    internal async Task<IReadOnlyList<VectorHit>> SearchExactAsync(string collection, VectorSearchRequest request, CancellationToken cancellationToken)
    {
        var state = await SyncAsync(Full(collection), cancellationToken);
        var query = VectorValidation.Vector(request.Vector.Span, state.Dimension, state.Distance, "request.Vector");
        return state.Search(query, request.Top, request.Filter, request.ScoreThreshold, request.WithVectors, exact: true);
    }

    public Task EnsureCollectionAsync(string collection, int dimension, VectorDistance distance, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Dimension(dimension, _options);
        VectorValidation.Distance(distance);
        return _telemetry.RunAsync("ensure_collection", _app, full, async () =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await _database.WriteAsync(
                async (session, ct) =>
                {
                    if (await FindAsync(session, full, ct) is { } existing)
                    {
                        if (existing.Dimension != dimension || existing.Distance != distance)
                        {
                            throw new MindoraConflictException($"The vector collection '{collection}' exists with dimension {existing.Dimension} and {existing.Distance} distance, not {dimension} and {distance}.");
                        }

                        return false;
                    }

                    using var insert = session.Command("INSERT INTO vector_collections (name, dimension, distance, created_at) VALUES (@n, @d, @k, @t)")
                        .With("@n", full).With("@d", dimension).With("@k", (int)distance).With("@t", now);
                    await insert.ExecuteNonQueryAsync(ct);
                    return true;
                },
                cancellationToken);
        });
    }

    public Task<VectorCollectionInfo?> GetCollectionAsync(string collection, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        return _telemetry.RunAsync("get_collection", _app, full, () => _database.ReadAsync<VectorCollectionInfo?>(
            async (session, ct) =>
            {
                if (await FindAsync(session, full, ct) is not { } found)
                {
                    return null;
                }

                using var count = session.Command("SELECT count(*) FROM vector_points WHERE collection_id = @c").With("@c", found.Id);
                return new VectorCollectionInfo(collection, found.Dimension, found.Distance, Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
            },
            cancellationToken));
    }

    public Task<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        return _telemetry.RunAsync("delete_collection", _app, full, async () =>
        {
            var deleted = await _database.WriteAsync<long?>(
                async (session, ct) =>
                {
                    if (await FindAsync(session, full, ct) is not { } found)
                    {
                        return null;
                    }

                    foreach (var sql in DropStatements)
                    {
                        using var command = session.Command(sql).With("@c", found.Id);
                        await command.ExecuteNonQueryAsync(ct);
                    }

                    return found.Id;
                },
                cancellationToken);
            _states.TryRemove(full, out _);
            if (deleted is { } id)
            {
                TryDelete(HnswGraphFile.PathFor(_directory, id));
            }

            return deleted is not null;
        });
    }

    public Task UpsertAsync(string collection, IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        ArgumentNullException.ThrowIfNull(points);
        return _telemetry.RunAsync("upsert", _app, full, async () =>
        {
            var shape = await _database.ReadAsync((session, ct) => FindAsync(session, full, ct), cancellationToken) ?? throw NotFound(collection);
            var rows = VectorValidation.Points(points, shape.Dimension, shape.Distance, _options);
            await _database.WriteAsync(
                async (session, ct) =>
                {
                    // The collection may have been deleted or re-created since it was read.
                    if (await FindAsync(session, full, ct) is not { } current || current.Id != shape.Id)
                    {
                        throw NotFound(collection);
                    }

                    var version = await BumpAsync(session, current.Id, ct);
                    foreach (var (id, vector, payload) in rows)
                    {
                        using var upsert = session.Command(
                            "INSERT INTO vector_points (collection_id, id, vector, payload, version) VALUES (@c, @i, @v, @p, @n) " +
                            "ON CONFLICT (collection_id, id) DO UPDATE SET vector = excluded.vector, payload = excluded.payload, version = excluded.version")
                            .With("@c", current.Id).With("@i", id).With("@v", VectorStoreSchema.ToBlob(vector)).With("@p", payload).With("@n", version);
                        await upsert.ExecuteNonQueryAsync(ct);
                        using var revive = session.Command("DELETE FROM vector_deletions WHERE collection_id = @c AND id = @i").With("@c", current.Id).With("@i", id);
                        await revive.ExecuteNonQueryAsync(ct);
                    }

                    return true;
                },
                cancellationToken);
            _telemetry.Upserted.Add(rows.Count);
        });
    }

    public Task<IReadOnlyList<VectorHit>> SearchAsync(string collection, VectorSearchRequest request, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Request(request);
        return _telemetry.RunAsync<IReadOnlyList<VectorHit>>("search", _app, full, async () =>
        {
            var state = await SyncAsync(full, cancellationToken);
            var query = VectorValidation.Vector(request.Vector.Span, state.Dimension, state.Distance, "request.Vector");
            return state.Search(query, request.Top, request.Filter, request.ScoreThreshold, request.WithVectors);
        });
    }

    public Task<IReadOnlyList<VectorHit>> GetAsync(string collection, IReadOnlyList<string> ids, bool withVectors = false, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Ids(ids);
        return _telemetry.RunAsync("get", _app, full, () => _database.ReadAsync<IReadOnlyList<VectorHit>>(
            async (session, ct) =>
            {
                var found = await FindAsync(session, full, ct) ?? throw NotFound(collection);
                var hits = new List<VectorHit>(ids.Count);
                foreach (var id in ids)
                {
                    using var command = session.Command("SELECT id, vector, payload FROM vector_points WHERE collection_id = @c AND id = @i").With("@c", found.Id).With("@i", id);
                    using var reader = await command.ExecuteReaderAsync(ct);
                    if (await reader.ReadAsync(ct))
                    {
                        hits.Add(ReadHit(reader, withVectors));
                    }
                }

                return hits;
            },
            cancellationToken));
    }

    public Task<long> DeleteAsync(string collection, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Ids(ids);
        return _telemetry.RunAsync("delete", _app, full, () => DeleteWhereAsync(collection, full, (_, _) => Task.FromResult<IReadOnlyList<string>>(ids), cancellationToken));
    }

    public Task<long> DeleteAsync(string collection, VectorFilter filter, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        ArgumentNullException.ThrowIfNull(filter);
        VectorValidation.Filter(filter);
        return _telemetry.RunAsync("delete_by_filter", _app, full, () => DeleteWhereAsync(
            collection,
            full,
            async (session, collectionId) =>
            {
                // Evaluated inside the write transaction, so the points deleted are exactly those matching now.
                var matching = new List<string>();
                using var command = session.Command("SELECT id, payload FROM vector_points WHERE collection_id = @c").With("@c", collectionId);
                using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var payload = reader.IsDBNull(1) ? null : JsonNode.Parse(reader.GetString(1))!.AsObject();
                    if (PayloadFilter.Matches(filter, payload))
                    {
                        matching.Add(reader.GetString(0));
                    }
                }

                return matching;
            },
            cancellationToken));
    }

    public Task<long> CountAsync(string collection, VectorFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Filter(filter);
        return _telemetry.RunAsync("count", _app, full, async () => (await SyncAsync(full, cancellationToken)).Count(filter));
    }

    public Task<VectorScrollPage> ScrollAsync(string collection, VectorFilter? filter = null, int limit = 100, string? offset = null, bool withVectors = false, CancellationToken cancellationToken = default)
    {
        var full = Full(collection);
        VectorValidation.Filter(filter);
        VectorValidation.ScrollLimit(limit);
        if (offset is not null)
        {
            VectorValidation.Id(offset, nameof(offset));
        }

        return _telemetry.RunAsync("scroll", _app, full, () => _database.ReadAsync(
            async (session, ct) =>
            {
                var found = await FindAsync(session, full, ct) ?? throw NotFound(collection);
                var page = new List<VectorHit>(limit);
                var from = offset ?? string.Empty;
                var inclusive = true;
                while (true)
                {
                    // Read in batches until the page and one more match (the next offset) are found.
                    using var command = session.Command($"SELECT id, vector, payload FROM vector_points WHERE collection_id = @c AND id {(inclusive ? ">=" : ">")} @o ORDER BY id LIMIT @l")
                        .With("@c", found.Id).With("@o", from).With("@l", limit + 1);
                    using var reader = await command.ExecuteReaderAsync(ct);
                    var read = 0;
                    while (await reader.ReadAsync(ct))
                    {
                        read++;
                        var hit = ReadHit(reader, withVectors);
                        from = hit.Id;
                        if (filter is not null && !PayloadFilter.Matches(filter, hit.Payload))
                        {
                            continue;
                        }

                        if (page.Count == limit)
                        {
                            return new VectorScrollPage(page, hit.Id);
                        }

                        page.Add(hit);
                    }

                    if (read <= limit)
                    {
                        return new VectorScrollPage(page, null);
                    }

                    inclusive = false;
                }
            },
            cancellationToken));
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => _database.ProbeAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var state in _states.Values)
        {
            state.Dispose();
        }

        _database.Dispose();
        _telemetry.Dispose();
    }

    private string Full(string collection) => VectorValidation.FullName(_app, VectorValidation.Collection(collection));

    private static MindoraNotFoundException NotFound(string collection) => new($"The vector collection '{collection}'");

    /// <summary>Brings this process's mirror of the collection up to date with the change log.</summary>
    private async Task<CollectionState> SyncAsync(string full, CancellationToken cancellationToken)
    {
        var collection = full[(full.IndexOf('_', StringComparison.Ordinal) + 1)..];
        var shape = await _database.ReadAsync((session, ct) => FindAsync(session, full, ct), cancellationToken);
        if (shape is null)
        {
            _states.TryRemove(full, out _);
            throw NotFound(collection);
        }

        var state = _states.AddOrUpdate(
            full,
            _ => new CollectionState(shape.Shape, _options),
            (_, existing) => existing.CollectionId == shape.Id && !existing.NeedsCompaction ? existing : new CollectionState(shape.Shape, _options));
        if (state.Version >= shape.Version)
        {
            return state;
        }

        await state.SyncLock.WaitAsync(cancellationToken);
        try
        {
            if (state.Version >= shape.Version)
            {
                return state;
            }

            var since = state.Version;
            var (version, deleted, upserted) = await _database.ReadAsync(
                async (session, ct) =>
                {
                    var current = await FindAsync(session, full, ct);
                    if (current is null || current.Id != state.CollectionId)
                    {
                        throw NotFound(collection);
                    }

                    var deleted = new List<string>();
                    using (var command = session.Command("SELECT id FROM vector_deletions WHERE collection_id = @c AND version > @v").With("@c", current.Id).With("@v", since))
                    using (var reader = await command.ExecuteReaderAsync(ct))
                    {
                        while (await reader.ReadAsync(ct))
                        {
                            deleted.Add(reader.GetString(0));
                        }
                    }

                    var upserted = new List<StoredPoint>();
                    using (var command = session.Command("SELECT id, vector, payload, version FROM vector_points WHERE collection_id = @c AND version > @v ORDER BY version").With("@c", current.Id).With("@v", since))
                    using (var reader = await command.ExecuteReaderAsync(ct))
                    {
                        while (await reader.ReadAsync(ct))
                        {
                            upserted.Add(new StoredPoint(reader.GetString(0), VectorStoreSchema.FromBlob((byte[])reader[1]), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3)));
                        }
                    }

                    return (current.Version, deleted, upserted);
                },
                cancellationToken);
            if (since == 0 && upserted.Count >= _options.HnswThreshold && state.TryRestore(HnswGraphFile.PathFor(_directory, state.CollectionId), version, upserted))
            {
                Interlocked.Increment(ref _graphsLoaded);
                _telemetry.GraphsLoaded.Add(1);
            }
            else if (state.Apply(version, deleted, upserted))
            {
                Interlocked.Increment(ref _graphsBuilt);
                _telemetry.GraphsBuilt.Add(1);
            }

            if (state.GraphWorthSaving)
            {
                SaveGraph(state);
            }

            return state;
        }
        finally
        {
            state.SyncLock.Release();
        }
    }

    // A failed save (disk full, read-only directory) costs the next process a rebuild, nothing else.
    private void SaveGraph(CollectionState state)
    {
        try
        {
            state.WriteGraph(HnswGraphFile.PathFor(_directory, state.CollectionId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _telemetry.GraphSaveFailures.Add(1);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process may hold it open; a re-created collection gets a new id, so the file is never matched again.
        }
    }

    private async Task<long> DeleteWhereAsync(string collection, string full, Func<SqliteSession, long, Task<IReadOnlyList<string>>> select, CancellationToken cancellationToken) =>
        await _database.WriteAsync(
            async (session, ct) =>
            {
                var found = await FindAsync(session, full, ct) ?? throw NotFound(collection);
                var ids = await select(session, found.Id);
                long deleted = 0;
                long version = 0;
                foreach (var id in ids)
                {
                    using var delete = session.Command("DELETE FROM vector_points WHERE collection_id = @c AND id = @i").With("@c", found.Id).With("@i", id);
                    if (await delete.ExecuteNonQueryAsync(ct) == 0)
                    {
                        continue;
                    }

                    version = version == 0 ? await BumpAsync(session, found.Id, ct) : version;
                    deleted++;
                    using var tombstone = session.Command("INSERT OR REPLACE INTO vector_deletions (collection_id, id, version) VALUES (@c, @i, @v)")
                        .With("@c", found.Id).With("@i", id).With("@v", version);
                    await tombstone.ExecuteNonQueryAsync(ct);
                }

                return deleted;
            },
            cancellationToken);

    private static async Task<long> BumpAsync(SqliteSession session, long collectionId, CancellationToken cancellationToken)
    {
        using var bump = session.Command("UPDATE vector_collections SET version = version + 1 WHERE id = @c RETURNING version").With("@c", collectionId);
        return Convert.ToInt64(await bump.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<CollectionRow?> FindAsync(SqliteSession session, string full, CancellationToken cancellationToken)
    {
        using var command = session.Command("SELECT id, dimension, distance, version FROM vector_collections WHERE name = @n").With("@n", full);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CollectionRow(reader.GetInt64(0), reader.GetInt32(1), (VectorDistance)reader.GetInt32(2), reader.GetInt64(3))
            : null;
    }

    private static VectorHit ReadHit(SqliteDataReader reader, bool withVectors) =>
        new(reader.GetString(0), 0, reader.IsDBNull(2) ? null : JsonNode.Parse(reader.GetString(2))!.AsObject(), withVectors ? VectorStoreSchema.FromBlob((byte[])reader[1]) : null);

    private sealed record CollectionRow(long Id, int Dimension, VectorDistance Distance, long Version)
    {
        public CollectionShape Shape => new(Id, Dimension, Distance);
    }
}
