using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mindora.Integrations.Files;

/// <summary>
/// Files on a local directory shared by the processes of one machine. Blobs live under
/// <c>{dir}/blobs/{app}/{bucket}/{random id}</c>; <c>{dir}/files.db</c> maps keys to blobs, so a
/// key is never a path. An upload streams into a temporary file next to its final place, is made
/// durable and renamed, and only then becomes visible through one short catalog transaction.
/// </summary>
internal sealed class EmbeddedFilesProvider : IFilesProvider
{
    private readonly SqliteDatabase _database;
    private readonly string _app;
    private readonly string _blobRoot;
    private readonly MindoraFilesOptions _options;
    private readonly TimeProvider _time;
    private readonly MindoraInstrumentation _telemetry;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;

    // Buckets are never deleted, so a bucket once seen stays valid for the life of the provider.
    private readonly ConcurrentDictionary<string, bool> _knownBuckets = new(StringComparer.Ordinal);
    private int _disposed;

    public EmbeddedFilesProvider(string directory, string app, MindoraFilesOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        if (options.MaxUploadBytes <= 0)
        {
            throw new MindoraConfigurationException($"{MindoraFilesOptions.SectionName}:MaxUploadBytes must be greater than 0.");
        }

        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _time = time;
        _blobRoot = Path.Combine(directory, "blobs", _app);
        _database = new SqliteDatabase(directory, "files.db", "files", FilesCatalog.Schema, durableCommits: true);
        _telemetry = new MindoraInstrumentation("Files", "mindora.files", "files", "mindora.bucket", meterFactory);
        _bytesIn = _telemetry.CreateCounter("bytes_in", "By", "Bytes stored by uploads.");
        _bytesOut = _telemetry.CreateCounter("bytes_out", "By", "Bytes of objects opened for download.");
    }

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var name = ValidateBucket(bucket);
        if (_knownBuckets.ContainsKey(name))
        {
            return Task.CompletedTask;
        }

        return _telemetry.RunAsync("ensure_bucket", _app, name, async () =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await _database.WriteAsync(
                async (session, ct) =>
                {
                    await FilesCatalog.AddBucketAsync(session, _app, name, now, ct);
                    return true;
                },
                cancellationToken);
            CreateBucketDirectory(name);
            _knownBuckets[name] = true;
        });
    }

    public Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = ValidateBucket(bucket);
        MindoraNames.ValidateObjectKey(key);
        ArgumentNullException.ThrowIfNull(content);
        var contentType = options?.ContentType is { } given ? ContentTypes.Validate(given, "options.ContentType") : null;
        var metadata = ObjectMetadata.Normalize(options?.Metadata);
        var maxBytes = options?.MaxBytes ?? _options.MaxUploadBytes;
        if (maxBytes <= 0)
        {
            throw new MindoraValidationException("options.MaxBytes", "MaxBytes must be greater than 0.");
        }

        var expectedSha256 = options?.ExpectedSha256 is { } expected ? ValidateSha256(expected) : null;
        return _telemetry.RunAsync("upload", _app, name, () => UploadCoreAsync(name, key, content, contentType, metadata, maxBytes, expectedSha256, cancellationToken));
    }

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = ValidateBucket(bucket);
        MindoraNames.ValidateObjectKey(key);
        return _telemetry.RunAsync("download", _app, name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);

            // A concurrent overwrite may delete the blob between reading the row and opening the
            // file; reading the row again then finds the new blob.
            for (var attempt = 1; ; attempt++)
            {
                var entry = await FindAsync(name, key, cancellationToken)
                    ?? throw new MindoraNotFoundException($"Object '{key}' in bucket '{name}'");
                try
                {
                    var stream = new FileStream(BlobPath(name, entry.Blob), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    _bytesOut.Add(entry.Info.Size, Tags(name));
                    return new ObjectDownload(entry.Info, stream);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    if (attempt == 3)
                    {
                        throw new MindoraIntegrityException($"The content of object '{key}' in bucket '{name}' is missing from the store.");
                    }
                }
            }
        });
    }

    public Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = ValidateBucket(bucket);
        MindoraNames.ValidateObjectKey(key);
        return _telemetry.RunAsync("get_info", _app, name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            return (await FindAsync(name, key, cancellationToken))?.Info;
        });
    }

    public async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        await GetInfoAsync(bucket, key, cancellationToken) is not null;

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = ValidateBucket(bucket);
        MindoraNames.ValidateObjectKey(key);
        return _telemetry.RunAsync("delete", _app, name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            var blob = await _database.WriteAsync((session, ct) => FilesCatalog.DeleteAsync(session, _app, name, key, ct), cancellationToken);
            if (blob is null)
            {
                return false;
            }

            TryDeleteFile(BlobPath(name, blob));
            return true;
        });
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = ValidateBucket(bucket);
        ValidatePrefix(prefix);
        return ListCoreAsync(name, prefix, cancellationToken);
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => _database.ProbeAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _database.Dispose();
            _telemetry.Dispose();
        }
    }

    private async Task<ObjectInfo> UploadCoreAsync(string bucket, string key, Stream content, string? contentType, IReadOnlyDictionary<string, string> metadata, long maxBytes, string? expectedSha256, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        var directory = CreateBucketDirectory(bucket);
        var blob = Guid.NewGuid().ToString("N");
        var tempPath = Path.Combine(directory, blob + ".tmp");
        var blobPath = Path.Combine(directory, blob);
        var committed = false;
        try
        {
            var staged = await BlobStaging.WriteAsync(content, tempPath, maxBytes, cancellationToken);
            if (expectedSha256 is not null && !string.Equals(expectedSha256, staged.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new MindoraIntegrityException($"The upload's SHA-256 is {staged.Sha256} but {expectedSha256} was expected; nothing was stored.");
            }

            var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
            var info = new ObjectInfo(bucket, key, staged.Size, contentType ?? ContentTypes.Detect(staged.Head.Span, staged.Truncated), staged.Sha256, createdAt, metadata);

            File.Move(tempPath, blobPath);
            cancellationToken.ThrowIfCancellationRequested();

            // Not cancelable from here: once the row commits, the blob must stay.
            var previous = await _database.WriteAsync((session, ct) => FilesCatalog.UpsertAsync(session, _app, info, blob, ct), CancellationToken.None);
            committed = true;
            if (previous is not null)
            {
                TryDeleteFile(Path.Combine(directory, previous));
            }

            _bytesIn.Add(info.Size, Tags(bucket));
            return info;
        }
        finally
        {
            if (!committed)
            {
                TryDeleteFile(tempPath);
                TryDeleteFile(blobPath);
            }
        }
    }

    private async IAsyncEnumerable<ObjectInfo> ListCoreAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var page = await _telemetry.RunAsync("list", _app, bucket, async () =>
            {
                if (after is null)
                {
                    await RequireBucketAsync(bucket, cancellationToken);
                }

                return await _database.ReadAsync((session, ct) => FilesCatalog.ListPageAsync(session, _app, bucket, prefix, after, ct), cancellationToken);
            });

            foreach (var info in page)
            {
                yield return info;
            }

            if (page.Count < FilesCatalog.PageSize)
            {
                yield break;
            }

            after = page[^1].Key;
        }
    }

    private Task<CatalogEntry?> FindAsync(string bucket, string key, CancellationToken cancellationToken) =>
        _database.ReadAsync((session, ct) => FilesCatalog.FindAsync(session, _app, bucket, key, ct), cancellationToken);

    private async Task RequireBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        if (_knownBuckets.ContainsKey(bucket))
        {
            return;
        }

        if (!await _database.ReadAsync((session, ct) => FilesCatalog.BucketExistsAsync(session, _app, bucket, ct), cancellationToken))
        {
            throw new MindoraNotFoundException($"Bucket '{bucket}' (create it with EnsureBucketAsync)");
        }

        _knownBuckets[bucket] = true;
    }

    private string CreateBucketDirectory(string bucket)
    {
        var directory = Path.Combine(_blobRoot, bucket);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MindoraUnavailableException($"The embedded files store cannot create '{directory}': {e.Message}", e);
        }

        return directory;
    }

    private string BlobPath(string bucket, string blob) => Path.Combine(_blobRoot, bucket, blob);

    private TagList Tags(string bucket) =>
        new() { { MindoraInstrumentation.AppTag, _app }, { "mindora.bucket", bucket } };

    private static string ValidateBucket(string bucket) => MindoraNames.ValidateLogicalName(bucket, "bucket", nameof(bucket));

    private static string ValidateSha256(string value)
    {
        if (value.Length != 64 || !value.All(char.IsAsciiHexDigit))
        {
            throw new MindoraValidationException("options.ExpectedSha256", "ExpectedSha256 must be 64 hexadecimal characters.");
        }

        return value;
    }

    private static void ValidatePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }

        var valid = !MindoraArguments.ContainsControl(prefix);
        if (valid)
        {
            try
            {
                valid = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(prefix) <= MindoraNames.MaxObjectKeyBytes;
            }
            catch (EncoderFallbackException)
            {
                valid = false;
            }
        }

        if (!valid)
        {
            throw new MindoraValidationException(nameof(prefix), $"Invalid prefix: allowed is up to {MindoraNames.MaxObjectKeyBytes} UTF-8 bytes without control characters or unpaired surrogates.");
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: an orphaned blob wastes space but is never visible.
        }
    }
}
