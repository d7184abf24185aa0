namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// A Hierarchical Navigable Small World graph (Malkov and Yashunin, 2016) over the slots of a
/// <see cref="VectorSlots"/>: every node is linked to its nearest neighbours on layer 0 and, with
/// exponentially falling probability, on higher layers; a search descends greedily from the top
/// and explores a candidate list of size ef on layer 0. Neighbours are chosen with the paper's
/// heuristic (a candidate is kept only if it is closer to the new node than to any neighbour kept
/// so far), which keeps clustered data navigable. Deleted slots stay in the graph as waypoints and
/// are filtered out of results by the caller's predicate. Not thread-safe for writes: the owner
/// serializes <see cref="Add"/> against searches; searches may run concurrently.
/// </summary>
internal sealed class HnswIndex : IDisposable
{
    private readonly VectorSlots _vectors;
    private readonly VectorDistance _distance;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _efConstruction;
    private readonly double _levelFactor;
    private readonly Random _random = new(20161011);
    private readonly List<int[][]> _links = [];
    private readonly ThreadLocal<VisitedSet> _visited = new(() => new VisitedSet());
    private int _entry = -1;
    private int _maxLevel = -1;

    public HnswIndex(VectorSlots vectors, VectorDistance distance, int m, int efConstruction)
    {
        _vectors = vectors;
        _distance = distance;
        _m = Math.Max(2, m);
        _m0 = _m * 2;
        _efConstruction = Math.Max(_m, efConstruction);
        _levelFactor = 1 / Math.Log(_m);
    }

    /// <summary>Slots in the graph (always the first <c>Count</c> slots).</summary>
    public int Count => _links.Count;

    /// <summary>Links the next slot (<see cref="Count"/>) into the graph.</summary>
    public void Add()
    {
        var node = _links.Count;
        var level = (int)Math.Floor(-Math.Log(1 - _random.NextDouble()) * _levelFactor);
        var layers = new int[level + 1][];
        for (var l = 0; l <= level; l++)
        {
            layers[l] = [0];
        }

        _links.Add(layers);
        if (_entry < 0)
        {
            _entry = node;
            _maxLevel = level;
            return;
        }

        var query = _vectors[node];
        var entry = _entry;
        var entryKey = Key(query, entry);
        for (var l = _maxLevel; l > level; l--)
        {
            (entry, entryKey) = Greedy(query, entry, entryKey, l);
        }

        var entries = new List<(int Node, float Key)> { (entry, entryKey) };
        for (var l = Math.Min(level, _maxLevel); l >= 0; l--)
        {
            var found = SearchLayer(query, entries, _efConstruction, l, accept: null);
            var chosen = SelectNeighbours(found, l == 0 ? _m0 : _m);
            layers[l] = ToLinks(chosen.Select(c => c.Node), l == 0 ? _m0 : _m);
            foreach (var (neighbour, key) in chosen)
            {
                Connect(neighbour, node, key, l);
            }

            entries = found;
        }

        if (level > _maxLevel)
        {
            _maxLevel = level;
            _entry = node;
        }
    }

    /// <summary>The up to <paramref name="top"/> closest accepted slots, closest first, as (slot, ordering key).</summary>
    public List<(int Node, float Key)> Search(ReadOnlySpan<float> query, int top, int ef, Func<int, bool> accept)
    {
        if (_entry < 0)
        {
            return [];
        }

        var entry = _entry;
        var entryKey = Key(query, entry);
        for (var l = _maxLevel; l > 0; l--)
        {
            (entry, entryKey) = Greedy(query, entry, entryKey, l);
        }

        var found = SearchLayer(query, [(entry, entryKey)], Math.Max(ef, top), 0, accept);
        return found.Count > top ? found.GetRange(0, top) : found;
    }

    private (int Node, float Key) Greedy(ReadOnlySpan<float> query, int entry, float entryKey, int level)
    {
        for (var changed = true; changed;)
        {
            changed = false;
            var links = _links[entry][level];
            for (var i = 1; i <= links[0]; i++)
            {
                var key = Key(query, links[i]);
                if (key < entryKey)
                {
                    (entry, entryKey, changed) = (links[i], key, true);
                }
            }
        }

        return (entry, entryKey);
    }

    /// <summary>
    /// The ef closest nodes reachable from <paramref name="entries"/> on one layer, closest first.
    /// With a predicate, rejected nodes are still walked through but never returned.
    /// </summary>
    private List<(int Node, float Key)> SearchLayer(ReadOnlySpan<float> query, List<(int Node, float Key)> entries, int ef, int level, Func<int, bool>? accept)
    {
        var visited = _visited.Value!;
        visited.Reset(_links.Count);
        var candidates = new PriorityQueue<int, float>();
        var results = new NearestSet(ef);
        foreach (var (node, key) in entries)
        {
            visited.Add(node);
            candidates.Enqueue(node, key);
            if (accept is null || accept(node))
            {
                results.Add(node, key);
            }
        }

        while (candidates.TryDequeue(out var current, out var currentKey))
        {
            if (currentKey > results.Bound)
            {
                break;
            }

            var links = _links[current][level];
            for (var i = 1; i <= links[0]; i++)
            {
                var next = links[i];
                if (!visited.Add(next))
                {
                    continue;
                }

                var key = Key(query, next);
                if (key < results.Bound)
                {
                    candidates.Enqueue(next, key);
                    if (accept is null || accept(next))
                    {
                        results.Add(next, key);
                    }
                }
            }
        }

        return results.DrainClosestFirst();
    }

    /// <summary>The paper's heuristic: keep a candidate only when no kept neighbour is closer to it than the base node is.</summary>
    private List<(int Node, float Key)> SelectNeighbours(List<(int Node, float Key)> candidates, int max)
    {
        var kept = new List<(int Node, float Key)>(max);
        foreach (var candidate in candidates)
        {
            if (kept.Count >= max)
            {
                break;
            }

            var vector = _vectors[candidate.Node];
            var dominated = false;
            foreach (var k in kept)
            {
                if (Key(vector, k.Node) < candidate.Key)
                {
                    dominated = true;
                    break;
                }
            }

            if (!dominated)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    private void Connect(int from, int to, float key, int level)
    {
        var max = level == 0 ? _m0 : _m;
        var links = _links[from][level];
        if (links[0] < max)
        {
            if (links.Length <= links[0] + 1)
            {
                Array.Resize(ref links, max + 1);
                _links[from][level] = links;
            }

            links[++links[0]] = to;
            return;
        }

        // Full: re-run the heuristic over the old links and the new one (as the paper and hnswlib
        // do). Keeping merely the closest links clusters them on one side of the node, and a
        // dense cluster then loses the long links that make it navigable.
        var origin = _vectors[from];
        var candidates = new List<(int Node, float Key)>(links[0] + 1) { (to, key) };
        for (var i = 1; i <= links[0]; i++)
        {
            candidates.Add((links[i], Key(origin, links[i])));
        }

        candidates.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        var kept = SelectNeighbours(candidates, max);
        links[0] = kept.Count;
        for (var i = 0; i < kept.Count; i++)
        {
            links[i + 1] = kept[i].Node;
        }
    }

    private static int[] ToLinks(IEnumerable<int> nodes, int max)
    {
        var links = new int[max + 1];
        foreach (var node in nodes)
        {
            links[++links[0]] = node;
        }

        return links;
    }

    public void Dispose() => _visited.Dispose();

    private float Key(ReadOnlySpan<float> query, int node) => VectorMath.Key(_distance, query, _vectors[node]);

    /// <summary>A visited set cleared in O(1) by bumping a generation stamp.</summary>
    private sealed class VisitedSet
    {
        private int[] _stamps = [];
        private int _generation;

        public void Reset(int size)
        {
            if (_stamps.Length < size)
            {
                _stamps = new int[Math.Max(size, _stamps.Length * 2)];
                _generation = 0;
            }

            if (++_generation == int.MaxValue)
            {
                Array.Clear(_stamps);
                _generation = 1;
            }
        }

        public bool Add(int node)
        {
            if (_stamps[node] == _generation)
            {
                return false;
            }

            _stamps[node] = _generation;
            return true;
        }
    }
}
