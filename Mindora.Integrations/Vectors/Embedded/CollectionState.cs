using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>A point as stored in SQLite, with the change-log version that wrote it (which identifies its vector).</summary>
internal sealed record StoredPoint(string Id, float[] Vector, string? Payload, long Version);

/// <summary>
/// One process's in-memory mirror of a collection: vectors by slot, ids, payloads, which slots
/// are alive, and the HNSW graph once the collection is large. It is brought up to date from the
/// SQLite change log (<see cref="Version"/>) before every read, so a point written by another
/// process is seen by the next search here. Replaced points get a new slot (the old one dies), so
/// the graph only ever grows; the owner starts a fresh mirror when dead slots dominate. The graph
/// can be restored from a persisted copy (<see cref="TryRestore"/>) and written back
/// (<see cref="WriteGraph"/>); each slot remembers the point version it holds so a restored
/// graph is matched to the store point by point.
/// </summary>
internal sealed class CollectionState : IDisposable
{
    private readonly VectorSlots _vectors;
    private readonly List<string> _ids = [];
    private readonly List<string?> _payloads = [];
    private readonly List<JsonObject?> _parsed = [];
    private readonly List<bool> _alive = [];
    private readonly List<long> _versions = [];
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly MindoraVectorsOptions _options;
    private HnswIndex? _hnsw;
    private int _dead;
    private int _savedNodes;

    public CollectionState(CollectionShape shape, MindoraVectorsOptions options)
    {
        Shape = shape;
        _options = options;
        _vectors = new VectorSlots(shape.Dimension);
    }

    public CollectionShape Shape { get; }

    public long CollectionId => Shape.CollectionId;

    public int Dimension => Shape.Dimension;

    public VectorDistance Distance => Shape.Distance;

    /// <summary>The change-log version this mirror reflects.</summary>
    public long Version { get; private set; }

    /// <summary>Held while reading the change log, so one caller at a time catches up.</summary>
    public SemaphoreSlim SyncLock { get; } = new(1, 1);

    /// <summary>True when dead slots outnumber live ones enough that a fresh mirror is cheaper.</summary>
    public bool NeedsCompaction => _dead > Math.Max(1000, _slotOf.Count);

    /// <summary>True when searches go through the HNSW graph.</summary>
    public bool UsesHnsw => _hnsw is not null;

    /// <summary>True when the graph has grown enough since it was last written or read that writing it again pays.</summary>
    public bool GraphWorthSaving => _hnsw is { } graph && graph.Count - _savedNodes >= Math.Max(_savedNodes == 0 ? 1 : 1000, _savedNodes / 5);

    /// <summary>Applies the changes of versions up to <paramref name="version"/>; builds or extends the graph. True when it built a new graph.</summary>
    public bool Apply(long version, IReadOnlyList<string> deleted, IReadOnlyList<StoredPoint> upserted)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in deleted)
            {
                Kill(id);
            }

            foreach (var point in upserted)
            {
                Append(point);
            }

            var built = false;
            if (_hnsw is null && _slotOf.Count >= _options.HnswThreshold)
            {
                _hnsw = new HnswIndex(_vectors, Distance, _options.HnswM, _options.HnswEfConstruction);
                built = true;
            }

            while (_hnsw is not null && _hnsw.Count < _vectors.Count)
            {
                _hnsw.Add();
            }

            Version = version;
            return built;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Fills this empty mirror from <paramref name="points"/> (the whole collection at
    /// <paramref name="version"/>) reusing a persisted graph: a slot stays alive when the store
    /// still has its point at the same version and its int8 codes are exactly those of that
    /// vector; other slots become dead waypoints; points the graph does not know are linked in
    /// as new slots. False, with nothing changed, when the file does not match the vectors or
    /// would leave more dead slots than a fresh build is worth.
    /// </summary>
    public bool TryRestore(string path, long version, IReadOnlyList<StoredPoint> points)
    {
        if (_vectors.Count != 0 || HnswGraphFile.TryRead(path, Shape, _options.HnswM, _options.HnswEfConstruction, _vectors) is not { } snapshot)
        {
            return false;
        }

        if (Restore(snapshot, version, points))
        {
            return true;
        }

        snapshot.Index.Dispose();
        return false;
    }

    private bool Restore(HnswSnapshot snapshot, long version, IReadOnlyList<StoredPoint> points)
    {
        var byId = new Dictionary<string, StoredPoint>(points.Count, StringComparer.Ordinal);
        foreach (var point in points)
        {
            byId[point.Id] = point;
        }

        var index = snapshot.Index;
        var matched = new StoredPoint?[snapshot.Ids.Length];
        var live = 0;
        for (var slot = 0; slot < matched.Length; slot++)
        {
            if (snapshot.Versions[slot] >= 0 && byId.Remove(snapshot.Ids[slot], out var point))
            {
                if (point.Version != snapshot.Versions[slot])
                {
                    byId[point.Id] = point; // replaced since: the slot dies, the point comes in as new
                    continue;
                }

                if (!index.Holds(slot, point.Vector))
                {
                    return false;
                }

                matched[slot] = point;
                live++;
            }
        }

        if (matched.Length - live > Math.Max(1000, points.Count))
        {
            return false;
        }

        _lock.EnterWriteLock();
        try
        {
            var empty = new float[Dimension];
            for (var slot = 0; slot < matched.Length; slot++)
            {
                if (matched[slot] is { } point)
                {
                    Append(point);
                }
                else
                {
                    _vectors.Add(empty);
                    _ids.Add(snapshot.Ids[slot]);
                    _payloads.Add(null);
                    _parsed.Add(null);
                    _alive.Add(false);
                    _versions.Add(-1);
                    _dead++;
                }
            }

            _hnsw = index;
            _savedNodes = index.Count;
            foreach (var point in points.Where(p => byId.ContainsKey(p.Id)))
            {
                Append(point);
                _hnsw.Add();
            }

            Version = version;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Writes the graph with the point each slot holds (searches go on meanwhile; the owner keeps writers out).</summary>
    public void WriteGraph(string path)
    {
        _lock.EnterReadLock();
        try
        {
            if (_hnsw is null)
            {
                return;
            }

            var versions = new long[_hnsw.Count];
            for (var slot = 0; slot < versions.Length; slot++)
            {
                versions[slot] = _alive[slot] ? _versions[slot] : -1;
            }

            HnswGraphFile.Write(path, Shape, Version, _ids, versions, _hnsw);
            _savedNodes = _hnsw.Count;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public long Count(VectorFilter? filter)
    {
        _lock.EnterReadLock();
        try
        {
            return filter is null ? _slotOf.Count : _slotOf.Values.LongCount(slot => PayloadFilter.Matches(filter, Parsed(slot)));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The best hits: HNSW when built (exact when it cannot fill the top, e.g. under a selective filter), else exact.</summary>
    public List<VectorHit> Search(ReadOnlySpan<float> query, int top, VectorFilter? filter, double? threshold, bool withVectors, bool exact = false)
    {
        _lock.EnterReadLock();
        try
        {
            bool Accept(int slot) => _alive[slot] && (filter is null || PayloadFilter.Matches(filter, Parsed(slot)));
            List<(int Node, float Key)>? found = null;
            if (_hnsw is not null && !exact)
            {
                found = _hnsw.Search(query, top, Math.Max(top, _options.HnswEfSearch), Accept);
                if (found.Count < top && found.Count < _slotOf.Count)
                {
                    found = null;
                }
            }

            found ??= ExactSearch(query, top, Accept);
            var hits = new List<VectorHit>(found.Count);
            foreach (var (slot, key) in found)
            {
                var score = VectorMath.Score(Distance, key);
                if (VectorMath.PassesThreshold(Distance, score, threshold))
                {
                    hits.Add(Hit(slot, score, withVectors));
                }
            }

            return hits;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _hnsw?.Dispose();
        _lock.Dispose();
        SyncLock.Dispose();
    }

    private List<(int Node, float Key)> ExactSearch(ReadOnlySpan<float> query, int top, Func<int, bool> accept)
    {
        var best = new NearestSet(top);
        for (var slot = 0; slot < _vectors.Count; slot++)
        {
            if (!_alive[slot])
            {
                continue;
            }

            var key = VectorMath.Key(Distance, query, _vectors[slot]);
            if (key < best.Bound && accept(slot))
            {
                best.Add(slot, key);
            }
        }

        return best.DrainClosestFirst();
    }

    private VectorHit Hit(int slot, double score, bool withVectors) =>
        new(_ids[slot], score, _payloads[slot] is { } json ? JsonNode.Parse(json)!.AsObject() : null, withVectors ? _vectors[slot].ToArray() : null);

    // Parsed once per slot, on first use by a filter; a benign race may parse twice.
    private JsonObject? Parsed(int slot) => _payloads[slot] is null ? null : _parsed[slot] ??= JsonNode.Parse(_payloads[slot]!)!.AsObject();

    private void Append(StoredPoint point)
    {
        Kill(point.Id);
        var slot = _vectors.Add(point.Vector);
        _ids.Add(point.Id);
        _payloads.Add(point.Payload);
        _parsed.Add(null);
        _alive.Add(true);
        _versions.Add(point.Version);
        _slotOf[point.Id] = slot;
    }

    private void Kill(string id)
    {
        if (_slotOf.Remove(id, out var old))
        {
            _alive[old] = false;
            _payloads[old] = null;
            _parsed[old] = null;
            _dead++;
        }
    }
}
