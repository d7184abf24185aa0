using System.Buffers;
using System.Security.Cryptography;

namespace Mindora.Integrations.Files;

/// <summary>
/// Streams an upload into a temporary file through one pooled buffer, counting and hashing as it
/// goes, so memory stays flat whatever the size. The caller owns the file and deletes it on failure.
/// </summary>
internal static class BlobStaging
{
    private const int BufferSize = 81920;

    /// <summary>Copies <paramref name="source"/> to a new file at <paramref name="path"/> and makes it durable.</summary>
    /// <exception cref="MindoraPayloadTooLargeException">More than <paramref name="maxBytes"/> bytes were read.</exception>
    /// <exception cref="MindoraEmptyContentException">The source was empty.</exception>
    public static async Task<StagedBlob> WriteAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var head = new byte[ContentTypes.SniffBytes];
        var headLength = 0;
        long total = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            // No FileStream buffer: writes are already large, and the pooled buffer is the only copy.
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            });
            await using (file)
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    total += read;
                    if (total > maxBytes)
                    {
                        throw new MindoraPayloadTooLargeException("The upload", maxBytes);
                    }

                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    // Hash while the write is in flight: both only read the buffer.
                    var write = file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    hash.AppendData(buffer, 0, read);
                    await write;
                }

                if (total == 0)
                {
                    throw new MindoraEmptyContentException("The upload");
                }

                // fsync before the caller renames: a committed catalog row never points at a torn file.
                file.Flush(flushToDisk: true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new StagedBlob(total, Convert.ToHexStringLower(hash.GetHashAndReset()), head.AsMemory(0, headLength));
    }
}
