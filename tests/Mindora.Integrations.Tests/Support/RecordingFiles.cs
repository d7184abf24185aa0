using System.Collections.Concurrent;
using Mindora.Integrations.Files;

namespace Mindora.Integrations.Tests.Support;

/// <summary>The real files store, with every call it receives written down (to prove a call never happened).</summary>
internal sealed class RecordingFiles(IMindoraFiles inner) : IMindoraFiles
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"ensure {bucket}");
        return inner.EnsureBucketAsync(bucket, cancellationToken);
    }

    public Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"upload {bucket}/{key}");
        return inner.UploadAsync(bucket, key, content, options, cancellationToken);
    }

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"download {bucket}/{key}");
        return inner.DownloadAsync(bucket, key, cancellationToken);
    }

    public Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"info {bucket}/{key}");
        return inner.GetInfoAsync(bucket, key, cancellationToken);
    }

    public Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"exists {bucket}/{key}");
        return inner.ExistsAsync(bucket, key, cancellationToken);
    }

    public Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"delete {bucket}/{key}");
        return inner.DeleteAsync(bucket, key, cancellationToken);
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string? prefix = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue($"list {bucket}/{prefix}");
        return inner.ListAsync(bucket, prefix, cancellationToken);
    }
}
