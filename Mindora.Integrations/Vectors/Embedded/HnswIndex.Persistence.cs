using System.Runtime.InteropServices;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>Writing the graph (codes and links) to a stream and reading it back, validated.</summary>
internal sealed partial class HnswIndex
{
    private const int MaxLevel = 64;

    /// <summary>Writes every node: level, int8 scale, squared norm and codes, then its links per layer.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(_entry);
        writer.Write(_maxLevel);
        for (var node = 0; node < Count; node++)
        {
            var level = Level(node);
            writer.Write(level);
            writer.Write(_codes.Scale(node));
            writer.Write(_codes.SquaredNorm(node));
            writer.Write(MemoryMarshal.AsBytes(_codes.Codes(node)));
            for (var l = 0; l <= level; l++)
            {
                var links = Links(node, l);
                writer.Write(MemoryMarshal.AsBytes(links[..(links[0] + 1)]));
            }
        }
    }

    /// <summary>
    /// Reads a graph written by <see cref="Write"/> over <paramref name="vectors"/> (which the
    /// caller fills with the same slots afterwards); null when anything is out of range.
    /// </summary>
    public static HnswIndex? Read(BinaryReader reader, VectorSlots vectors, VectorDistance distance, int m, int efConstruction)
    {
        var index = new HnswIndex(vectors, distance, m, efConstruction);
        var count = reader.ReadInt32();
        var entry = reader.ReadInt32();
        var maxLevel = reader.ReadInt32();
        if (count < 0 || entry < -1 || entry >= count || (count > 0) != (entry >= 0) || maxLevel < -1 || maxLevel > MaxLevel)
        {
            index.Dispose();
            return null;
        }

        var codes = new sbyte[vectors.Dimension];
        for (var node = 0; node < count; node++)
        {
            var level = reader.ReadInt32();
            var scale = reader.ReadSingle();
            var norm = reader.ReadSingle();
            if (level < 0 || level > maxLevel || !float.IsFinite(scale) || !float.IsFinite(norm)
                || reader.Read(MemoryMarshal.AsBytes(codes.AsSpan())) != codes.Length)
            {
                index.Dispose();
                return null;
            }

            index._codes.Add(codes, scale, norm);
            index.AddNode(level);
            for (var l = 0; l <= level; l++)
            {
                var links = index.Links(node, l);
                var size = reader.ReadInt32();
                if (size < 0 || size >= links.Length)
                {
                    index.Dispose();
                    return null;
                }

                links[0] = size;
                for (var i = 1; i <= size; i++)
                {
                    links[i] = reader.ReadInt32();
                    if ((uint)links[i] >= (uint)count)
                    {
                        index.Dispose();
                        return null;
                    }
                }
            }
        }

        if (entry >= 0 && index.Level(entry) != maxLevel)
        {
            index.Dispose();
            return null;
        }

        index._entry = entry;
        index._maxLevel = maxLevel;
        return index;
    }
}
