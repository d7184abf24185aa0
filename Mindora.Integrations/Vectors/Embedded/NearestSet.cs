namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>The closest nodes seen so far, at most <c>capacity</c>: a max-heap whose root is the farthest kept.</summary>
internal sealed class NearestSet(int capacity)
{
    private static readonly Comparer<float> Farthest = Comparer<float>.Create((a, b) => b.CompareTo(a));

    private readonly PriorityQueue<int, float> _heap = new(capacity + 1, Farthest);

    public int Count => _heap.Count;

    public bool IsFull => _heap.Count >= capacity;

    /// <summary>The key of the farthest kept node (+∞ while not full, so anything is worth keeping).</summary>
    public float Bound => IsFull && _heap.TryPeek(out _, out var key) ? key : float.PositiveInfinity;

    public void Add(int node, float key)
    {
        _heap.Enqueue(node, key);
        if (_heap.Count > capacity)
        {
            _heap.Dequeue();
        }
    }

    /// <summary>Empties the set into a list, closest first.</summary>
    public List<(int Node, float Key)> DrainClosestFirst()
    {
        var ordered = new List<(int Node, float Key)>(_heap.Count);
        while (_heap.TryDequeue(out var node, out var key))
        {
            ordered.Add((node, key));
        }

        ordered.Reverse();
        return ordered;
    }
}
