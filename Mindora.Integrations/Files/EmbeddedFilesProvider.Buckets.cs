namespace Mindora.Integrations.Files;

internal sealed partial class EmbeddedFilesProvider
{
    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesBucketNames.Physical(_app, name);
        if (_knownBuckets.ContainsKey(name))
        {
            return Task.CompletedTask;
        }

        return _telemetry.RunAsync("ensure_bucket", name, async () =>
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

    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken = default) =>
        _telemetry.RunAsync("list_buckets", null, () =>
            _database.ReadAsync((session, ct) => FilesCatalog.ListBucketsAsync(session, _app, ct), cancellationToken));

    public Task<bool> DeleteBucketAsync(string bucket, bool deleteContent = false, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        return _telemetry.RunAsync("delete_bucket", name, async () =>
        {
            var deleted = await _database.WriteAsync((session, ct) => FilesCatalog.DeleteBucketAsync(session, _app, name, deleteContent, ct), cancellationToken);
            if (deleted == false)
            {
                throw new MindoraConflictException($"Bucket '{name}' is not empty (objects or earlier versions remain); delete its content first or pass deleteContent: true.");
            }

            _knownBuckets.TryRemove(name, out _);
            if (deleted is null)
            {
                return false;
            }

            try
            {
                Directory.Delete(Path.Combine(_blobRoot, name), recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The catalog no longer names these blobs; leftovers are invisible and reclaimed with the directory later.
            }

            return true;
        });
    }
}
