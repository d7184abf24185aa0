namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// The vectors of one collection in memory, by slot, in fixed-size chunks so a large collection
/// never needs one huge array and growing never copies what is there.
/// </summary>
internal sealed class VectorSlots(int dimension)
{
    private const int ChunkShift = 10;
    private const int ChunkSlots = 1 << ChunkShift;

    private readonly List<float[]> _chunks = [];

    public int Dimension { get; } = dimension;

    public int Count { get; private set; }

    public ReadOnlySpan<float> this[int slot] => _chunks[slot >> ChunkShift].AsSpan((slot & (ChunkSlots - 1)) * Dimension, Dimension);

    public int Add(ReadOnlySpan<float> vector)
    {
        if ((Count & (ChunkSlots - 1)) == 0)
        {
            _chunks.Add(new float[ChunkSlots * Dimension]);
        }

        var slot = Count++;
        vector.CopyTo(_chunks[slot >> ChunkShift].AsSpan((slot & (ChunkSlots - 1)) * Dimension, Dimension));
        return slot;
    }
}
