namespace Mindora.Integrations.Files;

/// <summary>
/// Object storage for one app: buckets of objects addressed by key. Buckets are scoped to the
/// app, so another app using the same resource never sees them. Create buckets with
/// <see cref="EnsureBucketAsync"/> (cheap and idempotent; call it at start-up); every other
/// operation on an unknown bucket throws <see cref="MindoraNotFoundException"/>.
/// </summary>
public interface IMindoraFiles
{
    /// <summary>Creates the bucket if it does not exist yet.</summary>
    /// <exception cref="MindoraInvalidNameException">The bucket name is not allowed.</exception>
    Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="key"/>, replacing an existing object.
    /// The object becomes visible only once it is complete; on any failure nothing is stored.
    /// </summary>
    /// <exception cref="MindoraPayloadTooLargeException">The content exceeds the size limit.</exception>
    /// <exception cref="MindoraEmptyContentException">The content is empty.</exception>
    /// <exception cref="MindoraIntegrityException">The content does not match <see cref="UploadOptions.ExpectedSha256"/>.</exception>
    /// <exception cref="MindoraNotFoundException">The bucket does not exist.</exception>
    Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for reading; dispose the result to release it.</summary>
    /// <exception cref="MindoraNotFoundException">The bucket or the object does not exist.</exception>
    Task<ObjectDownload> DownloadAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Returns the object's description, or null when there is no such object.</summary>
    Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>True when the object exists.</summary>
    Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; true when it existed.</summary>
    Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the bucket's objects whose key starts with <paramref name="prefix"/> in ordinal order
    /// (Unicode code point order), fetched page by page as the caller enumerates.
    /// </summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string bucket, string? prefix = null, CancellationToken cancellationToken = default);
}
