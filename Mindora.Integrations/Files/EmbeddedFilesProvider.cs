using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Files;

/// <summary>
/// Files on a local directory shared by the processes of one machine. Blobs live under
/// <c>{dir}/blobs/{app}/{bucket}/{random id}</c>; <c>{dir}/files.db</c> maps keys and versions to
/// blobs, so a key is never a path. An upload streams into a temporary file next to its final
/// place, is made durable and renamed, and only then becomes visible through one short catalog
/// transaction.
/// </summary>
internal sealed partial class EmbeddedFilesProvider : FilesProviderBase, IFilesProvider
{
    private readonly SqliteDatabase _database;
    private readonly string _app;
    private readonly string _blobRoot;
    private readonly TimeProvider _time;
    private readonly FilesTelemetry _telemetry;
    private readonly FilesUrlSigner _signer;
    private readonly OrphanReaper _reaper;
    private int _reapedAtStart;
    private int _disposed;

    public EmbeddedFilesProvider(string directory, string app, MindoraFilesOptions options, IMeterFactory? meterFactory, TimeProvider time)
        : base(options)
    {
        if (options.MaxUploadBytes <= 0)
        {
            throw new MindoraConfigurationException($"{MindoraFilesOptions.SectionName}:MaxUploadBytes must be greater than 0.");
        }

        _app = MindoraNames.ValidateAppName(app);
        _time = time;
        _signer = new FilesUrlSigner(_app, options.SigningKey, options.SignedUrlPath, time);
        _blobRoot = Path.Combine(directory, "blobs", _app);
        _database = new SqliteDatabase(directory, "files.db", "files", FilesCatalog.Schema, durableCommits: true);
        _telemetry = new FilesTelemetry(_app, meterFactory);
        _reaper = new OrphanReaper(_database, _app, _blobRoot, _telemetry);
    }

    public override string App => _app;

    protected override FilesTelemetry Telemetry => _telemetry;

    protected override async Task<ObjectDownload> DownloadCoreAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);

        // A concurrent delete of an unversioned object may remove the blob between reading the
        // row and opening the file; reading the row again then finds the new state.
        for (var attempt = 1; ; attempt++)
        {
            var entry = await FindAsync(bucket, key, options?.VersionId, cancellationToken);
            if (entry is null || entry.IsDeleteMarker)
            {
                throw new MindoraNotFoundException(options?.VersionId is null ? $"Object '{key}' in bucket '{bucket}'" : $"Version '{options.VersionId}' of object '{key}' in bucket '{bucket}'");
            }

            var length = FilesArguments.RangeLength(options, entry.Info.Size);
            try
            {
                var stream = new FileStream(BlobPath(bucket, entry.Blob!), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var offset = options?.Offset ?? 0;
                stream.Seek(offset, SeekOrigin.Begin);
                _telemetry.BytesOut(bucket, length);
                return new ObjectDownload(entry.Info, length == entry.Info.Size ? stream : new RangeReadStream(stream, length), offset, length);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                if (attempt == 3)
                {
                    throw new MindoraIntegrityException($"The content of object '{key}' in bucket '{bucket}' is missing from the store.");
                }
            }
        }
    }

    protected override async Task<ObjectInfo?> GetInfoCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        return (await FindAsync(bucket, key, null, cancellationToken))?.Info;
    }

    // The token is the last key of the previous page; a key's rules keep it harmless.
    protected override void ValidateContinuationToken(string continuationToken) => FilesArguments.Key(continuationToken, nameof(continuationToken));

    protected override async Task<ObjectPage> ListPageCoreAsync(string bucket, string? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        var items = await _database.ReadAsync((session, ct) => FilesCatalog.ListPageAsync(session, _app, bucket, prefix, continuationToken, pageSize + 1, ct), cancellationToken);
        return items.Count > pageSize
            ? new ObjectPage(items.Take(pageSize).ToList(), items[pageSize - 1].Key)
            : new ObjectPage(items, null);
    }

    protected override async Task<Uri> GetSignedUrlCoreAsync(string bucket, string key, SignedUrlOptions settings, CancellationToken cancellationToken)
    {
        // Only the app's own buckets can be signed for; the object itself may not exist yet (PUT).
        await RequireBucketAsync(bucket, cancellationToken);
        return _signer.Sign(bucket, key, settings);
    }

    /// <summary>What a signed URL token grants, or null when it is invalid, altered, expired or another app's.</summary>
    public SignedTarget? VerifySignedUrl(string token, SignedUrlMethod method) => _signer.Verify(token, method);

    public Task ProbeAsync(CancellationToken cancellationToken) => _database.ProbeAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _reaper.Dispose();
            _database.Dispose();
            _telemetry.Dispose();
        }
    }

    protected override async Task<ObjectInfo> UploadCoreAsync(string bucket, string key, Stream content, UploadRequest request, CancellationToken cancellationToken)
    {
        await RequireBucketAsync(bucket, cancellationToken);
        var directory = CreateBucketDirectory(bucket);
        var blob = Guid.NewGuid().ToString("N");
        var tempPath = Path.Combine(directory, blob + ".tmp");
        var blobPath = Path.Combine(directory, blob);
        var committed = false;
        try
        {
            var staged = await BlobStaging.WriteAsync(content, tempPath, request.MaxBytes, _telemetry, cancellationToken);
            if (request.ExpectedSha256 is not null && request.ExpectedSha256 != staged.Sha256)
            {
                throw new MindoraIntegrityException($"The upload's SHA-256 is {staged.Sha256} but {request.ExpectedSha256} was expected; nothing was stored.");
            }

            var info = new ObjectInfo(bucket, key, staged.Size, request.ContentType ?? ContentTypes.Detect(staged.Head.Span, staged.Truncated), staged.Sha256, Now(), request.Metadata, NewVersionId());

            using (_telemetry.Step("upload.rename"))
            {
                File.Move(tempPath, blobPath);
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Not cancelable from here: once the row commits, the blob must stay.
            await CommitVersionAsync(info, blob);
            committed = true;
            _telemetry.BytesIn(bucket, info.Size);
            return info;
        }
        finally
        {
            if (!committed)
            {
                OrphanReaper.TryDelete(tempPath);
                OrphanReaper.TryDelete(blobPath);
            }
        }
    }

    /// <summary>Records a version (a delete marker when <paramref name="blob"/> is null); blobs it orphaned go after the caller has its answer.</summary>
    private Task<IReadOnlyList<string>?> CommitVersionAsync(ObjectInfo info, string? blob) =>
        WriteOrphaningAsync(
            info.Bucket,
            async (session, ct) =>
            {
                // Re-checked inside the transaction: another process may have deleted the bucket.
                if (!await FilesCatalog.BucketExistsAsync(session, _app, info.Bucket, ct))
                {
                    throw BucketNotFound(info.Bucket);
                }

                // Under the write lock the reaper cannot claim the blob; a copy or restore whose
                // source was deleted for good and reaped since it was read must fail, not name a lost file.
                if (blob is not null && !File.Exists(BlobPath(info.Bucket, blob)))
                {
                    throw new MindoraNotFoundException($"The content for '{info.Key}' in bucket '{info.Bucket}' (its source version was deleted for good meanwhile; nothing was stored)");
                }

                return (IReadOnlyList<string>?)await FilesCatalog.AddVersionAsync(session, _app, info, blob, Options.Versioning, ct);
            },
            CancellationToken.None);

    /// <summary>
    /// Runs a catalog write that may orphan blobs (null: nothing was there to change) and records
    /// them in the same transaction; the reaper deletes the files afterwards, off the caller's path.
    /// </summary>
    private async Task<IReadOnlyList<string>?> WriteOrphaningAsync(string bucket, Func<SqliteSession, CancellationToken, Task<IReadOnlyList<string>?>> write, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? orphans;
        using (_telemetry.Step("commit"))
        {
            orphans = await _database.WriteAsync(
                async (session, ct) =>
                {
                    var orphaned = await write(session, ct);
                    await FilesCatalog.RecordOrphansAsync(session, _app, bucket, orphaned ?? [], ct);
                    return orphaned;
                },
                cancellationToken);
        }

        if (orphans is { Count: > 0 })
        {
            _reaper.Signal();
        }

        return orphans;
    }

    /// <summary>Tests only: runs between reading a copy's or restore's source and using it, to open the race window on purpose.</summary>
    internal Func<Task>? BeforeSharedCommit { get; set; }

    /// <summary>
    /// Reads a source version (the current one when <paramref name="versionId"/> is null) and
    /// uses it. Its blob may be reaped between the read and the use when the version is deleted
    /// for good or replaced meanwhile; the use then fails as not found and the row is read again,
    /// so a replaced object is copied as it now is and a deleted one is reported missing.
    /// </summary>
    private async Task<T> FromSourceAsync<T>(string bucket, string key, string? versionId, Func<CatalogEntry, Task<T>> use, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var entry = await FindAsync(bucket, key, versionId, cancellationToken);
            if (entry is null || entry.IsDeleteMarker)
            {
                throw new MindoraNotFoundException(versionId is null ? $"Object '{key}' in bucket '{bucket}'" : $"Version '{versionId}' of object '{key}' in bucket '{bucket}'");
            }

            try
            {
                if (BeforeSharedCommit is { } hook)
                {
                    await hook();
                }

                return await use(entry);
            }
            catch (MindoraNotFoundException) when (attempt < 3)
            {
                // Read the row again.
            }
        }
    }

    private Task<CatalogEntry?> FindAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken) =>
        _database.ReadAsync((session, ct) => FilesCatalog.FindAsync(session, _app, bucket, key, versionId, ct), cancellationToken);

    protected override async Task RequireBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        if (KnownBuckets.ContainsKey(bucket))
        {
            return;
        }

        if (!await _database.ReadAsync((session, ct) => FilesCatalog.BucketExistsAsync(session, _app, bucket, ct), cancellationToken))
        {
            throw BucketNotFound(bucket);
        }

        KnownBuckets[bucket] = true;
        ReapLeftoversOnce();
    }

    private static MindoraNotFoundException BucketNotFound(string bucket) => new($"Bucket '{bucket}' (create it with EnsureBucketAsync)");

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string NewVersionId() => Guid.NewGuid().ToString("N");

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

    /// <summary>Finishes what a crashed process left (orphan records, trash files), once per provider.</summary>
    private void ReapLeftoversOnce()
    {
        if (Interlocked.Exchange(ref _reapedAtStart, 1) == 0)
        {
            _reaper.SignalFirst();
        }
    }

    /// <summary>Completes when orphaned blobs signalled so far are gone (for tests and the bench).</summary>
    internal Task OrphansReapedAsync() => _reaper.IdleAsync();
}
