using System.Collections.Concurrent;

namespace Mindora.Integrations.Files;

/// <summary>
/// The public surface every Files provider shares: argument checks, one telemetry span per
/// operation, upload notifications and orchestration built from the provider's primitives. A
/// provider implements the <c>...CoreAsync</c> members, which receive validated arguments.
/// </summary>
internal abstract class FilesProviderBase : IMindoraFiles
{
    private readonly UploadNotifier _notifier = new();

    protected FilesProviderBase(MindoraFilesOptions options) => Options = options;

    /// <summary>The app this provider serves.</summary>
    public abstract string App { get; }

    protected MindoraFilesOptions Options { get; }

    protected abstract FilesTelemetry Telemetry { get; }

    // Buckets this instance has seen; a bucket deleted elsewhere is found missing by the store's next write.
    protected ConcurrentDictionary<string, bool> KnownBuckets { get; } = new(StringComparer.Ordinal);

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        var physical = FilesBucketNames.Physical(App, name);
        if (KnownBuckets.ContainsKey(name))
        {
            return Task.CompletedTask;
        }

        return Telemetry.RunAsync("ensure_bucket", name, async () =>
        {
            await EnsureBucketCoreAsync(name, physical, cancellationToken);
            KnownBuckets[name] = true;
        });
    }

    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken = default) =>
        Telemetry.RunAsync("list_buckets", null, () => ListBucketsCoreAsync(cancellationToken));

    public Task<bool> DeleteBucketAsync(string bucket, bool deleteContent = false, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        var store = StoreBucketName(name);
        return Telemetry.RunAsync("delete_bucket", name, () => DeleteBucketCoreAsync(name, store, deleteContent, cancellationToken));
    }

    public Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default) =>
        UploadAsync(bucket, key, content, options, ObjectUploadCauses.Upload, cancellationToken);

    /// <summary>An upload announced with <paramref name="cause"/> (the embedded signed-URL endpoint says <c>signed-put</c>).</summary>
    internal Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options, string cause, CancellationToken cancellationToken)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        ArgumentNullException.ThrowIfNull(content);
        var request = FilesArguments.Upload(options, Options);
        return Telemetry.RunAsync("upload", name, async () => await AnnounceAsync(await UploadCoreAsync(name, key, content, request, cancellationToken), cause, cancellationToken));
    }

    public Task<ObjectInfo> ConfirmUploadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return Telemetry.RunAsync("confirm_upload", name, async () =>
        {
            var info = await GetInfoCoreAsync(name, key, cancellationToken)
                ?? throw new MindoraNotFoundException($"Object '{key}' in bucket '{name}' (nothing was stored under it; was the PUT completed?)");
            if (info.Sha256.Length == 0)
            {
                info = await CompleteClientUploadAsync(name, key, info, cancellationToken);
            }

            return await AnnounceAsync(info, ObjectUploadCauses.Confirmed, cancellationToken);
        });
    }

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        DownloadAsync(bucket, key, null, cancellationToken);

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        if (options?.VersionId is { } version)
        {
            FilesArguments.VersionId(version);
        }

        return Telemetry.RunAsync("download", name, () => DownloadCoreAsync(name, key, options, cancellationToken));
    }

    public Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return Telemetry.RunAsync("get_info", name, () => GetInfoCoreAsync(name, key, cancellationToken));
    }

    public async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        await GetInfoAsync(bucket, key, cancellationToken) is not null;

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return Telemetry.RunAsync("delete", name, () => DeleteCoreAsync(name, key, cancellationToken));
    }

    public Task<int> DeleteManyAsync(string bucket, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        ArgumentNullException.ThrowIfNull(keys);
        var all = keys.Select(k => FilesArguments.Key(k, nameof(keys))).Distinct(StringComparer.Ordinal).ToList();
        return Telemetry.RunAsync("delete_many", name, () => DeleteManyCoreAsync(name, all, cancellationToken));
    }

    public Task<ObjectInfo> CopyAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken = default)
    {
        var (source, target) = FilesBatch.CopyArguments(sourceBucket, sourceKey, targetBucket, targetKey, prefixes: false);
        return Telemetry.RunAsync("copy", target, async () => await AnnounceAsync(await CopyCoreAsync(source, sourceKey, target, targetKey, cancellationToken), ObjectUploadCauses.Copy, cancellationToken));
    }

    public Task<int> CopyPrefixAsync(string sourceBucket, string sourcePrefix, string targetBucket, string targetPrefix, CancellationToken cancellationToken = default)
    {
        var (source, target) = FilesBatch.CopyArguments(sourceBucket, sourcePrefix, targetBucket, targetPrefix, prefixes: true);
        return Telemetry.RunAsync("copy_prefix", target, async () =>
        {
            await RequireBucketAsync(target, cancellationToken);
            return await FilesBatch.CopyPrefixAsync(this, source, sourcePrefix, target, targetPrefix, async (from, to, ct) => await AnnounceAsync(await CopyCoreAsync(source, from, target, to, ct), ObjectUploadCauses.Copy, ct), cancellationToken);
        });
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Prefix(prefix);
        return FilesBatch.EnumerateAsync(this, name, prefix, cancellationToken);
    }

    public Task<ObjectPage> ListPageAsync(string bucket, string? prefix = null, string? continuationToken = null, int pageSize = 1000, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Prefix(prefix);
        FilesArguments.PageSize(pageSize);
        if (continuationToken is not null)
        {
            ValidateContinuationToken(continuationToken);
        }

        return Telemetry.RunAsync("list", name, () => ListPageCoreAsync(name, prefix, continuationToken, pageSize, cancellationToken));
    }

    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return Telemetry.RunAsync("list_versions", name, () => ListVersionsCoreAsync(name, key, cancellationToken));
    }

    public Task<ObjectInfo> RestoreVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        FilesArguments.VersionId(versionId);
        return Telemetry.RunAsync("restore_version", name, async () => await AnnounceAsync(await RestoreVersionCoreAsync(name, key, versionId, cancellationToken), ObjectUploadCauses.Restore, cancellationToken));
    }

    public Task<bool> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        FilesArguments.VersionId(versionId);
        return Telemetry.RunAsync("delete_version", name, () => DeleteVersionCoreAsync(name, key, versionId, cancellationToken));
    }

    public Task<Uri> GetSignedUrlAsync(string bucket, string key, SignedUrlOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        var settings = FilesArguments.SignedUrl(options);
        return Telemetry.RunAsync("sign", name, () => GetSignedUrlCoreAsync(name, key, settings, cancellationToken));
    }

    public IDisposable OnUploadCommitted(Func<ObjectInfo, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _notifier.Subscribe((info, _, ct) => handler(info, ct));
    }

    public IDisposable OnVersionCommitted(Func<ObjectInfo, string, CancellationToken, Task> handler) => _notifier.Subscribe(handler);

    /// <summary>Runs the version-committed handlers for a version that is already stored; returns it.</summary>
    private async Task<ObjectInfo> AnnounceAsync(ObjectInfo info, string cause, CancellationToken cancellationToken)
    {
        Telemetry.HandlerFailures(info.Bucket, await _notifier.NotifyAsync(info, cause, cancellationToken));
        return info;
    }

    /// <summary>Throws <see cref="MindoraNotFoundException"/> unless the bucket exists.</summary>
    protected abstract Task RequireBucketAsync(string bucket, CancellationToken cancellationToken);

    /// <summary>The name the store knows <paramref name="bucket"/> by, checked before a bucket is deleted.</summary>
    protected abstract string StoreBucketName(string bucket);

    /// <summary>Throws <see cref="MindoraValidationException"/> for a token this provider never hands out.</summary>
    protected abstract void ValidateContinuationToken(string continuationToken);

    protected abstract Task EnsureBucketCoreAsync(string bucket, string physical, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<BucketInfo>> ListBucketsCoreAsync(CancellationToken cancellationToken);

    protected abstract Task<bool> DeleteBucketCoreAsync(string bucket, string store, bool deleteContent, CancellationToken cancellationToken);

    /// <summary>Stores the upload and returns its description; the base notifies handlers afterwards.</summary>
    protected abstract Task<ObjectInfo> UploadCoreAsync(string bucket, string key, Stream content, UploadRequest request, CancellationToken cancellationToken);

    protected abstract Task<ObjectDownload> DownloadCoreAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken);

    protected abstract Task<ObjectInfo?> GetInfoCoreAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Gives an object a client stored directly (without its SHA-256) what an upload records: the
    /// size limit is enforced and the SHA-256 computed and stored. Only S3 needs it: the embedded
    /// signed-URL endpoint uploads through the provider.
    /// </summary>
    protected virtual Task<ObjectInfo> CompleteClientUploadAsync(string bucket, string key, ObjectInfo info, CancellationToken cancellationToken) =>
        Task.FromResult(info);

    protected abstract Task<bool> DeleteCoreAsync(string bucket, string key, CancellationToken cancellationToken);

    protected abstract Task<int> DeleteManyCoreAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Copies one object; also the step <see cref="CopyPrefixAsync"/> repeats for each listed key.</summary>
    protected abstract Task<ObjectInfo> CopyCoreAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken);

    protected abstract Task<ObjectPage> ListPageCoreAsync(string bucket, string? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<ObjectVersion>> ListVersionsCoreAsync(string bucket, string key, CancellationToken cancellationToken);

    protected abstract Task<ObjectInfo> RestoreVersionCoreAsync(string bucket, string key, string versionId, CancellationToken cancellationToken);

    protected abstract Task<bool> DeleteVersionCoreAsync(string bucket, string key, string versionId, CancellationToken cancellationToken);

    protected abstract Task<Uri> GetSignedUrlCoreAsync(string bucket, string key, SignedUrlOptions settings, CancellationToken cancellationToken);
}
