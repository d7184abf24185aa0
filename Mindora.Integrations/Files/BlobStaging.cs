using System.Diagnostics;

namespace Mindora.Integrations.Files;

/// <summary>
/// Streams an upload into a temporary file, counting as it goes, and makes it durable. Memory
/// stays flat whatever the size: a fixed ring of pooled chunks. The copy loop reads a chunk and
/// writes it while the chunk is still in the CPU cache; a pool thread hashes the chunks behind it
/// (<see cref="BackgroundSha256"/>), and the disk writes start slice by slice
/// (<see cref="EarlyWriteback"/>), so the final fsync does not flush the whole object at once.
/// The caller owns the file and deletes it on failure.
/// </summary>
internal static class BlobStaging
{
    // 80 KiB: large enough that per-call costs vanish, small enough to stay in a core's L2 cache
    // between the read and the write (1 MiB chunks made the copy several times slower here).
    private const int ChunkSize = 80 * 1024;

    // Chunks the hash may lag behind the copy: 1.25 MiB in all.
    private const int Chunks = 16;

    /// <summary>Copies <paramref name="source"/> to a new file at <paramref name="path"/> and makes it durable.</summary>
    /// <exception cref="MindoraPayloadTooLargeException">More than <paramref name="maxBytes"/> bytes were read.</exception>
    /// <exception cref="MindoraEmptyContentException">The source was empty.</exception>
    public static async Task<StagedBlob> WriteAsync(Stream source, string path, long maxBytes, FilesTelemetry? telemetry, CancellationToken cancellationToken)
    {
        var head = new byte[ContentTypes.SniffBytes];
        var headLength = 0;
        long total = 0;
        await using var hasher = new BackgroundSha256(Chunks, ChunkSize);

        // Synchronous, unbuffered writes: each chunk goes straight from the pooled buffer to the page
        // cache on this thread (an async write on Linux is the same call on another pool thread).
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        });
        var writeback = new EarlyWriteback(file.SafeFileHandle);
        string sha256;
        using (var copy = telemetry?.Step("stage.copy"))
        {
            long hashWaitTicks = 0, readTicks = 0, writeTicks = 0, writebackTicks = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var waitStarted = Stopwatch.GetTimestamp();
                var buffer = await hasher.RentAsync(cancellationToken);
                hashWaitTicks += Stopwatch.GetTimestamp() - waitStarted;

                // Full chunks whatever the source hands out per read (a request body gives a few KiB at a time).
                var t0 = Stopwatch.GetTimestamp();
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
                readTicks += Stopwatch.GetTimestamp() - t0;
                if (read == 0)
                {
                    hasher.Return(buffer);
                    break;
                }

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

                var t1 = Stopwatch.GetTimestamp();
                file.Write(buffer, 0, read);
                var t2 = Stopwatch.GetTimestamp();
                hasher.Append(buffer, read);
                writeback.Written(total);
                writeTicks += t2 - t1;
                writebackTicks += Stopwatch.GetTimestamp() - t2;
            }

            if (total == 0)
            {
                throw new MindoraEmptyContentException("The upload");
            }

            var hashStarted = Stopwatch.GetTimestamp();
            sha256 = await hasher.CompleteAsync();
            copy?.SetTag("mindora.files.read_ms", Stopwatch.GetElapsedTime(0, readTicks).TotalMilliseconds);
            copy?.SetTag("mindora.files.write_ms", Stopwatch.GetElapsedTime(0, writeTicks).TotalMilliseconds);
            copy?.SetTag("mindora.files.writeback_ms", Stopwatch.GetElapsedTime(0, writebackTicks).TotalMilliseconds);
            copy?.SetTag("mindora.files.hash_wait_ms", Stopwatch.GetElapsedTime(0, hashWaitTicks + Stopwatch.GetTimestamp() - hashStarted).TotalMilliseconds);
        }

        // One fsync, before the caller renames: a committed catalog row never points at a torn file.
        using (telemetry?.Step("stage.fsync"))
        {
            file.Flush(flushToDisk: true);
        }

        return new StagedBlob(total, sha256, head.AsMemory(0, headLength));
    }
}
