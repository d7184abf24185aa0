using System.Text.Json.Nodes;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>A point as stored in SQLite.</summary>
internal sealed record StoredPoint(string Id, float[] Vector, string? Payload);

/// <summary>
/// One process's in-memory mirror of a collection: vectors by slot, ids, payloads, which slots
/// are alive, and the HNSW graph once the collection is large. It is brought up to date from the
/// SQLite change log (<see cref="Version"/>) before every read, so a point written by another
/// process is seen by the next search here. Replaced points get a new slot (the old one dies), so
/// the graph only ever grows; the owner starts a fresh mirror when dead slots dominate.
/// </summary>
internal sealed class CollectionState : IDisposable
{
    private readonly VectorSlots _vectors;
    private readonly List<string> _ids = [];
    private readonly List<string?> _payloads = [];
    private readonly List<JsonObject?> _parsed = [];
    private readonly List<bool> _alive = [];
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly MindoraVectorsOptions _options;
    private HnswIndex? _hnsw;
    private int _dead;

    public CollectionState(long collectionId, int dimension, VectorDistance distance, MindoraVectorsOptions options)
    {
        CollectionId = collectionId;
        Dimension = dimension;
        Distance = distance;
        _options = options;
        _vectors = new VectorSlots(dimension);
    }

    public long CollectionId { get; }

    public int Dimension { get; }

    public VectorDistance Distance { get; }

    /// <summary>The change-log version this mirror reflects.</summary>
    public long Version { get; private set; }

    /// <summary>Held while reading the change log, so one caller at a time catches up.</summary>
    public SemaphoreSlim SyncLock { get; } = new(1, 1);

    /// <summary>True when dead slots outnumber live ones enough that a fresh mirror is cheaper.</summary>
    public bool NeedsCompaction => _dead > Math.Max(1000, _slotOf.Count);

    /// <summary>True when searches go through the HNSW graph.</summary>
    public bool UsesHnsw => _hnsw is not null;

    /// <summary>Applies the changes of versions up to <paramref name="version"/>; builds or extends the graph.</summary>
    public void Apply(long version, IReadOnlyList<string> deleted, IReadOnlyList<StoredPoint> upserted)
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
                Kill(point.Id);
                var slot = _vectors.Add(point.Vector);
                _ids.Add(point.Id);
                _payloads.Add(point.Payload);
                _parsed.Add(null);
                _alive.Add(true);
                _slotOf[point.Id] = slot;
            }

            if (_hnsw is null && _slotOf.Count >= _options.HnswThreshold)
            {
                _hnsw = new HnswIndex(_vectors, Distance, _options.HnswM, _options.HnswEfConstruction);
            }

            while (_hnsw is not null && _hnsw.Count < _vectors.Count)
            {
                _hnsw.Add();
            }

            Version = version;
        }
        finally
        {
            _lock.ExitWriteLock();
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
