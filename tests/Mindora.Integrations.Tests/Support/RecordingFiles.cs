using System.Collections.Concurrent;
using Mindora.Integrations.Files;

namespace Mindora.Integrations.Tests.Support;

/// <summary>The real files store, with every call it receives written down (to prove a call never happened).</summary>
internal sealed class RecordingFiles(IMindoraFiles inner) : IMindoraFiles
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default) =>
        Record($"ensure {bucket}", inner.EnsureBucketAsync(bucket, cancellationToken));

    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken = default) =>
        Record("list buckets", inner.ListBucketsAsync(cancellationToken));

    public Task<bool> DeleteBucketAsync(string bucket, bool deleteContent = false, CancellationToken cancellationToken = default) =>
        Record($"delete bucket {bucket}", inner.DeleteBucketAsync(bucket, deleteContent, cancellationToken));

    public Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default) =>
        Record($"upload {bucket}/{key}", inner.UploadAsync(bucket, key, content, options, cancellationToken));

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken = default) =>
        Record($"download {bucket}/{key}", inner.DownloadAsync(bucket, key, options, cancellationToken));

    public Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        Record($"info {bucket}/{key}", inner.GetInfoAsync(bucket, key, cancellationToken));

    public Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        Record($"exists {bucket}/{key}", inner.ExistsAsync(bucket, key, cancellationToken));

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        Record($"delete {bucket}/{key}", inner.DeleteAsync(bucket, key, cancellationToken));

    public Task<int> DeleteManyAsync(string bucket, IEnumerable<string> keys, CancellationToken cancellationToken = default) =>
        Record($"delete many {bucket}", inner.DeleteManyAsync(bucket, keys, cancellationToken));

    public Task<ObjectInfo> CopyAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken = default) =>
        Record($"copy {sourceBucket}/{sourceKey} {targetBucket}/{targetKey}", inner.CopyAsync(sourceBucket, sourceKey, targetBucket, targetKey, cancellationToken));

    public Task<int> CopyPrefixAsync(string sourceBucket, string sourcePrefix, string targetBucket, string targetPrefix, CancellationToken cancellationToken = default) =>
        Record($"copy prefix {sourceBucket}/{sourcePrefix} {targetBucket}/{targetPrefix}", inner.CopyPrefixAsync(sourceBucket, sourcePrefix, targetBucket, targetPrefix, cancellationToken));

    public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string? prefix = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"list {bucket}/{prefix}");
        return inner.ListAsync(bucket, prefix, cancellationToken);
    }

    public Task<ObjectPage> ListPageAsync(string bucket, string? prefix = null, string? continuationToken = null, int pageSize = 1000, CancellationToken cancellationToken = default) =>
        Record($"list page {bucket}/{prefix}", inner.ListPageAsync(bucket, prefix, continuationToken, pageSize, cancellationToken));

    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        Record($"versions {bucket}/{key}", inner.ListVersionsAsync(bucket, key, cancellationToken));

    public Task<ObjectInfo> RestoreVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) =>
        Record($"restore {bucket}/{key}", inner.RestoreVersionAsync(bucket, key, versionId, cancellationToken));

    public Task<bool> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) =>
        Record($"delete version {bucket}/{key}", inner.DeleteVersionAsync(bucket, key, versionId, cancellationToken));

    public Task<Uri> GetSignedUrlAsync(string bucket, string key, SignedUrlOptions? options = null, CancellationToken cancellationToken = default) =>
        Record($"sign {bucket}/{key}", inner.GetSignedUrlAsync(bucket, key, options, cancellationToken));

    public Task<ObjectInfo> ConfirmUploadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        Record($"confirm {bucket}/{key}", inner.ConfirmUploadAsync(bucket, key, cancellationToken));

    public IDisposable OnUploadCommitted(Func<ObjectInfo, CancellationToken, Task> handler) => inner.OnUploadCommitted(handler);

    private T Record<T>(string call, T result)
    {
        Calls.Enqueue(call);
        return result;
    }
}
