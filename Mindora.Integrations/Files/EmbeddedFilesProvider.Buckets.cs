namespace Mindora.Integrations.Files;

internal sealed partial class EmbeddedFilesProvider
{
    protected override async Task EnsureBucketCoreAsync(string bucket, string physical, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _database.WriteAsync(
            async (session, ct) =>
            {
                await FilesCatalog.AddBucketAsync(session, _app, bucket, now, ct);
                return true;
            },
            cancellationToken);
        CreateBucketDirectory(bucket);
        ReapLeftoversOnce();
    }

    protected override Task<IReadOnlyList<BucketInfo>> ListBucketsCoreAsync(CancellationToken cancellationToken) =>
        _database.ReadAsync((session, ct) => FilesCatalog.ListBucketsAsync(session, _app, ct), cancellationToken);

    // Buckets are directories under the app's blob root, named as the app names them.
    protected override string StoreBucketName(string bucket) => bucket;

    protected override async Task<bool> DeleteBucketCoreAsync(string bucket, string store, bool deleteContent, CancellationToken cancellationToken)
    {
        var deleted = await _database.WriteAsync((session, ct) => FilesCatalog.DeleteBucketAsync(session, _app, bucket, deleteContent, ct), cancellationToken);
        if (deleted == false)
        {
            throw new MindoraConflictException($"Bucket '{bucket}' is not empty (objects or earlier versions remain); delete its content first or pass deleteContent: true.");
        }

        KnownBuckets.TryRemove(bucket, out _);
        if (deleted is null)
        {
            return false;
        }

        try
        {
            Directory.Delete(Path.Combine(_blobRoot, store), recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The catalog no longer names these blobs; leftovers are invisible and reclaimed with the directory later.
        }

        return true;
    }
}
