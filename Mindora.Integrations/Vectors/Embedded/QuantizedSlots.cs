using System.Numerics.Tensors;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>
/// An int8 copy of a collection's vectors for the HNSW walk: each vector is scaled so its largest
/// component magnitude maps to 127 (one scale per vector) and rounded. A distance then reads a
/// quarter of the bytes of the float32 vector, which is what a graph walk over vectors far larger
/// than the CPU caches waits for; the final candidates are re-ranked on the float32 vectors.
/// Kept in fixed-size chunks like <see cref="VectorSlots"/>, so growing never copies.
/// </summary>
internal sealed class QuantizedSlots(int dimension)
{
    private const int ChunkShift = 10;
    private const int ChunkSlots = 1 << ChunkShift;

    private readonly List<sbyte[]> _codes = [];
    private readonly List<float[]> _scales = [];
    private readonly List<float[]> _norms = [];

    public int Dimension { get; } = dimension;

    public int Count { get; private set; }

    /// <summary>The codes of one slot.</summary>
    public ReadOnlySpan<sbyte> Codes(int slot) => _codes[slot >> ChunkShift].AsSpan((slot & (ChunkSlots - 1)) * Dimension, Dimension);

    /// <summary>The factor that turns a code back into the component (component ≈ code × scale).</summary>
    public float Scale(int slot) => _scales[slot >> ChunkShift][slot & (ChunkSlots - 1)];

    /// <summary>The squared length of the original float32 vector (for euclidean keys).</summary>
    public float SquaredNorm(int slot) => _norms[slot >> ChunkShift][slot & (ChunkSlots - 1)];

    /// <summary>The probe of a stored slot (to compare it with others while building).</summary>
    public Int8Probe Probe(int slot) => new(Codes(slot), Scale(slot), SquaredNorm(slot));

    /// <summary>Reads one byte per cache line of a slot's codes (and its scale), to start loading them.</summary>
    public int Touch(int slot)
    {
        var codes = Codes(slot);
        var sum = (int)Scale(slot);
        for (var i = 0; i < codes.Length; i += 64)
        {
            sum += codes[i];
        }

        return sum;
    }

    /// <summary>Quantizes <paramref name="vector"/> into the next slot.</summary>
    public int Add(ReadOnlySpan<float> vector)
    {
        var slot = Reserve();
        var scale = Quantize(vector, Writable(slot));
        Set(slot, scale, TensorPrimitives.Dot(vector, vector));
        return slot;
    }

    /// <summary>Appends a slot whose codes, scale and norm come from elsewhere (a persisted graph).</summary>
    public int Add(ReadOnlySpan<sbyte> codes, float scale, float squaredNorm)
    {
        var slot = Reserve();
        codes.CopyTo(Writable(slot));
        Set(slot, scale, squaredNorm);
        return slot;
    }

    /// <summary>True when quantizing <paramref name="vector"/> gives exactly what the slot holds.</summary>
    public bool Matches(int slot, ReadOnlySpan<float> vector, Span<sbyte> scratch)
    {
        var scale = Quantize(vector, scratch);
        return scale == Scale(slot) && scratch.SequenceEqual(Codes(slot));
    }

    /// <summary>Writes the int8 codes of <paramref name="vector"/> into <paramref name="codes"/>; returns the scale.</summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var max = vector.Length == 0 ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        if (!(max > 0))
        {
            codes.Clear();
            return 0;
        }

        var inverse = 127f / max;
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inverse), -127, 127);
        }

        return max / 127f;
    }

    private int Reserve()
    {
        if ((Count & (ChunkSlots - 1)) == 0)
        {
            _codes.Add(new sbyte[ChunkSlots * Dimension]);
            _scales.Add(new float[ChunkSlots]);
            _norms.Add(new float[ChunkSlots]);
        }

        return Count++;
    }

    private Span<sbyte> Writable(int slot) => _codes[slot >> ChunkShift].AsSpan((slot & (ChunkSlots - 1)) * Dimension, Dimension);

    private void Set(int slot, float scale, float squaredNorm)
    {
        _scales[slot >> ChunkShift][slot & (ChunkSlots - 1)] = scale;
        _norms[slot >> ChunkShift][slot & (ChunkSlots - 1)] = squaredNorm;
    }
}

/// <summary>A quantized vector to measure from: codes, scale and the squared length of the original.</summary>
internal readonly ref struct Int8Probe(ReadOnlySpan<sbyte> codes, float scale, float squaredNorm)
{
    public ReadOnlySpan<sbyte> Codes { get; } = codes;

    public float Scale { get; } = scale;

    public float SquaredNorm { get; } = squaredNorm;
}
