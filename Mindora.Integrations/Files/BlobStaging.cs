using System.Buffers;
using System.Security.Cryptography;

namespace Mindora.Integrations.Files;

/// <summary>
/// Streams an upload into a temporary file through two pooled buffers (read into one while the
/// other is written and hashed), counting as it goes, so memory stays flat whatever the size. The caller owns the file and deletes it on failure.
/// </summary>
internal static class BlobStaging
{
    // 1 MiB: per-call costs (a thread-pool hop per async file write on Linux) vanish against the
    // bytes moved; two of them let the next read run while the current one is hashed and written.
    private const int BufferSize = 1024 * 1024;

    /// <summary>Copies <paramref name="source"/> to a new file at <paramref name="path"/> and makes it durable.</summary>
    /// <exception cref="MindoraPayloadTooLargeException">More than <paramref name="maxBytes"/> bytes were read.</exception>
    /// <exception cref="MindoraEmptyContentException">The source was empty.</exception>
    public static async Task<StagedBlob> WriteAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var current = ArrayPool<byte>.Shared.Rent(BufferSize);
        var next = ArrayPool<byte>.Shared.Rent(BufferSize);
        var head = new byte[ContentTypes.SniffBytes];
        var headLength = 0;
        long total = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task<int>? pendingRead = null;
        try
        {
            // No FileStream buffer: writes are already large, and the pooled buffers are the only copies.
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            await using (file)
            {
                var read = await source.ReadAsync(current.AsMemory(0, BufferSize), cancellationToken);
                while (read > 0)
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
                        current.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    // Three things at once: the next read fills the other buffer while this one is
                    // written and hashed (the write and the hash only read it).
                    pendingRead = source.ReadAsync(next.AsMemory(0, BufferSize), cancellationToken).AsTask();
                    var write = file.WriteAsync(current.AsMemory(0, read), cancellationToken);
                    hash.AppendData(current, 0, read);
                    await write;
                    read = await pendingRead;
                    pendingRead = null;
                    (current, next) = (next, current);
                }

                if (total == 0)
                {
                    throw new MindoraEmptyContentException("The upload");
                }

                // One fsync, before the caller renames: a committed catalog row never points at a torn file.
                file.Flush(flushToDisk: true);
            }
        }
        finally
        {
            if (pendingRead is not null)
            {
                // A failed write left a read in flight into a pooled buffer: let it finish before the buffer goes back.
                try
                {
                    await pendingRead;
                }
                catch (Exception)
                {
                    // The write's failure is what the caller sees.
                }
            }

            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }

        return new StagedBlob(total, Convert.ToHexStringLower(hash.GetHashAndReset()), head.AsMemory(0, headLength));
    }
}
