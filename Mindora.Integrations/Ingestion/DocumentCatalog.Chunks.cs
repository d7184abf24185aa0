using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Mindora.Integrations.Files;
using Mindora.Integrations.Ingestion.Pipeline;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// What the pipeline's steps hand each other, kept with the document's bytes so each step can run
/// again on its own: the chunks (<c>chunks/{id}.json</c>) and their embeddings
/// (<c>embeddings/{id}.bin</c>: chunk count and dimension as little-endian int32, then the floats).
/// </summary>
public sealed partial class DocumentCatalog
{
    private static readonly JsonSerializerOptions ChunkJson = new(JsonSerializerDefaults.Web);

    /// <summary>The key of a document's chunks.</summary>
    public static string ChunksKey(string id) => $"chunks/{CheckId(id)}.json";

    /// <summary>The key of a document's chunk embeddings.</summary>
    public static string EmbeddingsKey(string id) => $"embeddings/{CheckId(id)}.bin";

    /// <summary>Stores the chunks partitioning made (replacing earlier ones).</summary>
    public async Task StoreChunksAsync(string id, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken = default)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(chunks, ChunkJson));
        await _files.UploadAsync(Bucket, ChunksKey(id), content, new UploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the stored chunks.</summary>
    /// <exception cref="MindoraNotFoundException">Partitioning has not stored any.</exception>
    public async Task<IReadOnlyList<DocumentChunk>> ReadChunksAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var download = await _files.DownloadAsync(Bucket, ChunksKey(id), cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<List<DocumentChunk>>(download.Content, ChunkJson, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>Stores one embedding per chunk, in chunk order (all of one dimension).</summary>
    public async Task StoreEmbeddingsAsync(string id, IReadOnlyList<ReadOnlyMemory<float>> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var dimension = vectors.Count == 0 ? 0 : vectors[0].Length;
        var bytes = new byte[8 + (vectors.Count * dimension * sizeof(float))];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, vectors.Count);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), dimension);
        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Length != dimension)
            {
                throw new MindoraValidationException(nameof(vectors), $"Embedding {i} has {vectors[i].Length} components; all must have {dimension}.");
            }

            var target = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + (i * dimension * sizeof(float)), dimension * sizeof(float)));
            vectors[i].Span.CopyTo(target);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Embeddings are stored little-endian.");
            }
        }

        using var content = new MemoryStream(bytes);
        await _files.UploadAsync(Bucket, EmbeddingsKey(id), content, new UploadOptions { ContentType = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the stored embeddings, in chunk order.</summary>
    /// <exception cref="MindoraNotFoundException">Embedding has not stored any.</exception>
    public async Task<IReadOnlyList<ReadOnlyMemory<float>>> ReadEmbeddingsAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var download = await _files.DownloadAsync(Bucket, EmbeddingsKey(id), cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8)).ToArray();
        return Enumerable.Range(0, count).Select(i => new ReadOnlyMemory<float>(floats, i * dimension, dimension)).ToList();
    }
}
