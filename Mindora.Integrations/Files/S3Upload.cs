using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

/// <summary>
/// One upload to S3, streamed through pooled part buffers — one, or two for a multipart upload so
/// the next part is read while the previous one is sent (memory stays flat whatever the size).
/// Content that fits one part is a single PUT carrying its SHA-256; larger content is a multipart
/// upload, aborted on any failure, size overrun or checksum mismatch so nothing becomes visible.
/// When the SHA-256 was not known up front, the completed object is copied onto itself with it and
/// the intermediate version removed.
/// </summary>
internal sealed class S3Upload(IAmazonS3 s3, string bucket, string key, UploadRequest request, long partBytes)
{
    /// <summary>Uploads the content; returns the new version's id (or null without versioning).</summary>
    public async Task<string?> RunAsync(Stream content, CancellationToken cancellationToken)
    {
        // One byte read past a full part (into `next`) tells whether more parts follow without a
        // seekable stream. It is kept apart so the pooled buffer is exactly one part: a part size
        // plus one would be served from the pool's next power of two, twice the memory.
        var capacity = (int)Math.Min(partBytes, int.MaxValue - 64);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var next = new byte[1];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var filled = await FillAsync(content, buffer, 0, capacity, cancellationToken);
            var more = filled == capacity && await FillAsync(content, next, 0, 1, cancellationToken) == 1;
            CheckSize(filled + (more ? 1 : 0));
            if (filled == 0)
            {
                throw new MindoraEmptyContentException("The upload");
            }

            var contentType = request.ContentType ?? ContentTypes.Detect(buffer.AsSpan(0, Math.Min(filled, ContentTypes.SniffBytes)), filled > ContentTypes.SniffBytes);
            if (more)
            {
                return await MultipartAsync(content, buffer, next, filled, contentType, hash, cancellationToken);
            }

            hash.AppendData(buffer, 0, filled);
            var sha = Verify(hash);
            // The body is already in memory: sign it whole instead of aws-chunked streaming (which some S3 servers store verbatim).
            var put = new PutObjectRequest { BucketName = bucket, Key = key, ContentType = contentType, AutoCloseStream = false, UseChunkEncoding = false };
            S3Objects.WriteMetadata(put.Metadata, request.Metadata, sha);
            var response = await S3Resilience.RunAsync(
                ct =>
                {
                    put.InputStream = new MemoryStream(buffer, 0, filled, writable: false);
                    return s3.PutObjectAsync(put, ct);
                },
                cancellationToken);
            return response.VersionId;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<string?> MultipartAsync(Stream content, byte[] first, byte[] next, int filled, string contentType, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var create = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType };
        S3Objects.WriteMetadata(create.Metadata, request.Metadata, request.ExpectedSha256);
        var uploadId = (await S3Resilience.RunAsync(ct => s3.InitiateMultipartUploadAsync(create, ct), cancellationToken)).UploadId;

        // Two part buffers: the next part is read and hashed while the previous one is on the wire.
        var spare = ArrayPool<byte>.Shared.Rent(filled);
        Task<PartETag>? inFlight = null;
        try
        {
            var parts = new List<PartETag>();
            var capacity = filled; // the first part is always full
            long total = filled + 1;
            var more = true;
            var buffer = first;
            while (true)
            {
                hash.AppendData(buffer, 0, filled);
                var (number, part, length) = (parts.Count + (inFlight is null ? 1 : 2), buffer, filled);
                // On a pool thread: the SDK hashes the payload for SigV4 before its first await.
                var previous = inFlight;
                inFlight = Task.Run(() => SendPartAsync(uploadId, number, part, length, cancellationToken), cancellationToken);
                if (previous is not null)
                {
                    parts.Add(await previous);
                }

                if (!more)
                {
                    break;
                }

                // The other buffer is free: its part was acknowledged above.
                buffer = ReferenceEquals(buffer, first) ? spare : first;
                buffer[0] = next[0];
                var read = await FillAsync(content, buffer, 1, capacity, cancellationToken);
                filled = 1 + read;
                more = filled == capacity && await FillAsync(content, next, 0, 1, cancellationToken) == 1;
                total += read + (more ? 1 : 0);
                CheckSize(total);
            }

            parts.Add(await inFlight);
            var sha = Verify(hash);
            var complete = await S3Resilience.RunAsync(
                ct => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartETags = parts }, ct),
                CancellationToken.None);
            return request.ExpectedSha256 is null ? await StampShaAsync(complete.VersionId, contentType, sha) : complete.VersionId;
        }
        catch
        {
            // A part still on the wire reads its buffer: let it end before the buffers go back to the pool.
            if (inFlight is not null)
            {
                await Task.WhenAny(inFlight);
                _ = inFlight.Exception;
            }

            // Best effort, not cancelable: an unfinished multipart upload is invisible but holds storage.
            try
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
            }
            catch (AmazonS3Exception)
            {
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private async Task<PartETag> SendPartAsync(string uploadId, int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var part = await S3Resilience.RunAsync(
            ct => s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(buffer, 0, length, writable: false), PartSize = length, UseChunkEncoding = false }, ct),
            cancellationToken);
        return new PartETag(number, part.ETag);
    }

    /// <summary>Copies the object onto itself with its SHA-256, then removes the version that lacked it.</summary>
    private async Task<string?> StampShaAsync(string? versionId, string contentType, string sha)
    {
        var copy = S3Copies.Restamp(bucket, key, versionId, contentType, request.Metadata, sha);
        string? copied;
        try
        {
            copied = await S3Copies.CopyAsync(s3, copy, CancellationToken.None);
        }
        catch
        {
            // Without its SHA-256 the object must not stay visible: remove what the multipart upload completed.
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, CancellationToken.None);
            throw;
        }

        // Only a versioned bucket keeps the intermediate version ("null" is the one version of a suspended bucket, which the copy replaced).
        if (versionId is not (null or "null") && copied != versionId)
        {
            await S3Resilience.RunAsync(ct => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, ct), CancellationToken.None);
        }

        return copied;
    }

    private string Verify(IncrementalHash hash)
    {
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (request.ExpectedSha256 is not null && request.ExpectedSha256 != sha)
        {
            throw new MindoraIntegrityException($"The upload's SHA-256 is {sha} but {request.ExpectedSha256} was expected; nothing was stored.");
        }

        return sha;
    }

    private void CheckSize(long total)
    {
        if (total > request.MaxBytes)
        {
            throw new MindoraPayloadTooLargeException("The upload", request.MaxBytes);
        }
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, int start, int limit, CancellationToken cancellationToken)
    {
        var filled = start;
        int read;
        while (filled < limit && (read = await content.ReadAsync(buffer.AsMemory(filled, limit - filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled - start;
    }
}
