using System.Security.Cryptography;
using System.Text;

namespace Mindora.Integrations.Vectors.Embedded;

/// <summary>A graph read back from disk: which point (id and change-log version) each slot held, and the graph.</summary>
internal sealed record HnswSnapshot(long ChangeVersion, string[] Ids, long[] Versions, HnswIndex Index);

/// <summary>
/// The HNSW graph of one collection persisted next to <c>vectors.db</c> as
/// <c>vectors-{collection id}.hnsw</c>, so another process (or a restart) loads it instead of
/// building it for minutes. Layout: a magic and format version, the collection's id, dimension,
/// distance and M, the change-log version the graph covers, each slot's point id and point
/// version (-1 for a dead slot), the graph (<see cref="HnswIndex.Write"/>), and a SHA-256 of all
/// that. Written to a temporary file, flushed to disk and renamed over the old one, so a reader
/// sees the old file or the new one, never half of one. Any mismatch or damage makes
/// <see cref="TryRead"/> return null and the caller rebuilds.
/// </summary>
internal static class HnswGraphFile
{
    private const int Format = 1;
    private const int HashBytes = 32;
    private static readonly byte[] Magic = "MDRHNSW\0"u8.ToArray();

    public static string PathFor(string directory, long collectionId) =>
        Path.Combine(directory, $"vectors-{collectionId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.hnsw");

    public static void Write(string path, CollectionShape shape, long changeVersion, IReadOnlyList<string> ids, IReadOnlyList<long> versions, HnswIndex index)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(Format);
                    writer.Write(shape.CollectionId);
                    writer.Write(shape.Dimension);
                    writer.Write((int)shape.Distance);
                    writer.Write(index.M);
                    writer.Write(changeVersion);
                    writer.Write(index.Count);
                    for (var slot = 0; slot < index.Count; slot++)
                    {
                        writer.Write(ids[slot]);
                        writer.Write(versions[slot]);
                    }

                    index.Write(writer);
                }

                stream.Position = 0;
                var hash = SHA256.HashData(stream);
                stream.Write(hash);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The persisted graph of the collection, or null when there is none or it does not fit (other format, shape or M, damaged).</summary>
    public static HnswSnapshot? TryRead(string path, CollectionShape shape, int m, int efConstruction, VectorSlots vectors)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            return null;
        }

        if (bytes.Length < Magic.Length + HashBytes
            || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashBytes, writable: false), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != Format
                || reader.ReadInt64() != shape.CollectionId || reader.ReadInt32() != shape.Dimension
                || reader.ReadInt32() != (int)shape.Distance || reader.ReadInt32() != m)
            {
                return null;
            }

            var changeVersion = reader.ReadInt64();
            var count = reader.ReadInt32();
            if (count < 0 || count > bytes.Length / Math.Max(1, shape.Dimension))
            {
                return null;
            }

            var ids = new string[count];
            var versions = new long[count];
            for (var slot = 0; slot < count; slot++)
            {
                ids[slot] = reader.ReadString();
                versions[slot] = reader.ReadInt64();
            }

            var index = HnswIndex.Read(reader, vectors, shape.Distance, m, efConstruction);
            if (index is null || index.Count != count)
            {
                index?.Dispose();
                return null;
            }

            return new HnswSnapshot(changeVersion, ids, versions, index);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or DecoderFallbackException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>What identifies a collection's mirror: its id (never reused), dimension and distance.</summary>
internal sealed record CollectionShape(long CollectionId, int Dimension, VectorDistance Distance);
