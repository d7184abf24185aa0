namespace Mindora.Integrations.Files;

/// <summary>
/// Object storage for one app: buckets of objects addressed by key. Buckets are scoped to the
/// app, so another app using the same resource never sees them. Create buckets with
/// <see cref="EnsureBucketAsync"/> (cheap and idempotent; call it at start-up); every other
/// operation on an unknown bucket throws <see cref="MindoraNotFoundException"/>. Buckets keep
/// every version of an object unless <see cref="MindoraFilesOptions.Versioning"/> is off.
/// </summary>
public interface IMindoraFiles
{
    /// <summary>Creates the bucket if it does not exist yet.</summary>
    /// <exception cref="MindoraInvalidNameException">The bucket name is not allowed.</exception>
    Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default);

    /// <summary>The app's buckets, by name.</summary>
    Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the bucket; true when it existed.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="deleteContent">When true, every object and version is deleted first; when false a bucket holding anything is refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="MindoraConflictException">The bucket is not empty and <paramref name="deleteContent"/> is false.</exception>
    Task<bool> DeleteBucketAsync(string bucket, bool deleteContent = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="key"/> as its new current version.
    /// The object becomes visible only once it is complete; on any failure nothing is stored.
    /// </summary>
    /// <exception cref="MindoraPayloadTooLargeException">The content exceeds the size limit.</exception>
    /// <exception cref="MindoraEmptyContentException">The content is empty.</exception>
    /// <exception cref="MindoraIntegrityException">The content does not match <see cref="UploadOptions.ExpectedSha256"/>.</exception>
    /// <exception cref="MindoraNotFoundException">The bucket does not exist.</exception>
    Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Opens the current version of an object for reading; dispose the result to release it.</summary>
    /// <exception cref="MindoraNotFoundException">The bucket or the object does not exist.</exception>
    Task<ObjectDownload> DownloadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        DownloadAsync(bucket, key, null, cancellationToken);

    /// <summary>Opens a range and/or a version of an object for reading; dispose the result to release it.</summary>
    /// <exception cref="MindoraNotFoundException">The bucket, the object or the version does not exist.</exception>
    /// <exception cref="MindoraValidationException">The range starts outside the object.</exception>
    Task<ObjectDownload> DownloadAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken = default);

    /// <summary>Returns the current version's description, or null when there is no such object.</summary>
    Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>True when the object exists.</summary>
    Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object (with versioning: adds a delete marker, earlier versions stay); true when it existed.</summary>
    Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes many objects of one bucket; returns how many existed.</summary>
    Task<int> DeleteManyAsync(string bucket, IEnumerable<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Copies the current version of an object (content, type and metadata) to a new current version of another key, possibly in another bucket.</summary>
    /// <exception cref="MindoraNotFoundException">A bucket or the source object does not exist.</exception>
    Task<ObjectInfo> CopyAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken cancellationToken = default);

    /// <summary>Copies every object whose key starts with <paramref name="sourcePrefix"/>, replacing that prefix by <paramref name="targetPrefix"/>; returns how many were copied.</summary>
    Task<int> CopyPrefixAsync(string sourceBucket, string sourcePrefix, string targetBucket, string targetPrefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the bucket's objects whose key starts with <paramref name="prefix"/> in ordinal order
    /// (Unicode code point order), fetched page by page as the caller enumerates.
    /// </summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string? prefix = null, CancellationToken cancellationToken = default);

    /// <summary>One page of a listing (for APIs that page their own callers).</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">Only keys starting with it.</param>
    /// <param name="continuationToken">The previous page's token; null for the first page.</param>
    /// <param name="pageSize">1 to 1000 objects.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<ObjectPage> ListPageAsync(string bucket, string? prefix = null, string? continuationToken = null, int pageSize = 1000, CancellationToken cancellationToken = default);

    /// <summary>Every version of a key, newest first (delete markers included).</summary>
    Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Makes a copy of an earlier version the current version.</summary>
    /// <exception cref="MindoraNotFoundException">The version does not exist or is a delete marker.</exception>
    Task<ObjectInfo> RestoreVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default);

    /// <summary>Deletes one version (or delete marker) for good; true when it existed.</summary>
    Task<bool> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A URL that lets whoever holds it GET or PUT this one object until it expires, without
    /// credentials. Embedded stores serve it at the endpoint <c>app.MapMindoraFiles()</c> maps.
    /// </summary>
    Task<Uri> GetSignedUrlAsync(string bucket, string key, SignedUrlOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Announces an object a client stored without passing through this app (an S3 presigned PUT
    /// goes straight to S3): checks that it exists, then runs the upload-committed handlers and
    /// publishes <c>files.object-uploaded</c> with cause <c>confirmed</c>, as an upload would.
    /// Call it when the client reports its PUT done. On the embedded store the signed-URL endpoint
    /// already announced the upload, so confirming announces it a second time.
    /// </summary>
    /// <returns>The current version's description.</returns>
    /// <exception cref="MindoraNotFoundException">The bucket or the object does not exist (the PUT did not happen or failed).</exception>
    Task<ObjectInfo> ConfirmUploadAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> after each new version commits in this process: uploads,
    /// signed PUTs served by the embedded endpoint, copies (each object of a prefix copy), restores
    /// and confirmations. A failing handler never fails the operation. Dispose the result to stop.
    /// </summary>
    IDisposable OnUploadCommitted(Func<ObjectInfo, CancellationToken, Task> handler);
}
