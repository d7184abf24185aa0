using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

internal sealed partial class S3FilesProvider
{
    private readonly ConcurrentDictionary<string, bool> _knownBuckets = new(StringComparer.Ordinal);

    public Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        var physical = FilesBucketNames.Physical(_app, name);
        if (_knownBuckets.ContainsKey(name))
        {
            return Task.CompletedTask;
        }

        return _telemetry.RunAsync("ensure_bucket", name, async () =>
        {
            try
            {
                await S3Resilience.RunAsync(ct => _s3.PutBucketAsync(new PutBucketRequest { BucketName = physical }, ct), cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
            {
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyExists")
            {
                // Some servers say "exists" for a retried create of our own bucket; our credentials can read it then.
                if (!await CanReadBucketAsync(physical, cancellationToken))
                {
                    throw new MindoraConflictException($"Bucket '{name}' cannot be created: its store name '{physical}' is taken by someone else on this server.", e);
                }
            }

            if (_options.Versioning)
            {
                await S3Resilience.RunAsync(
                    ct => _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = physical, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, ct),
                    cancellationToken);
            }

            _knownBuckets[name] = true;
        });
    }

    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken = default) =>
        _telemetry.RunAsync("list_buckets", null, async () =>
        {
            var response = await S3Resilience.RunAsync(ct => _s3.ListBucketsAsync(new ListBucketsRequest(), ct), cancellationToken);
            var prefix = _app + "-";
            return (IReadOnlyList<BucketInfo>)(response.Buckets ?? [])
                .Where(b => b.BucketName.StartsWith(prefix, StringComparison.Ordinal))
                .Select(b => new BucketInfo(b.BucketName[prefix.Length..], new DateTimeOffset(DateTime.SpecifyKind(b.CreationDate ?? DateTime.UnixEpoch, DateTimeKind.Utc))))
                .OrderBy(b => b.Name, StringComparer.Ordinal)
                .ToList();
        });

    public Task<bool> DeleteBucketAsync(string bucket, bool deleteContent = false, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        var physical = FilesBucketNames.Physical(_app, name);
        return _telemetry.RunAsync("delete_bucket", name, async () =>
        {
            if (!await BucketExistsAsync(physical, cancellationToken))
            {
                return false;
            }

            var versions = await S3Resilience.RunAsync(ct => _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = physical, MaxKeys = 1 }, ct), cancellationToken);
            if ((versions.Versions?.Count ?? 0) > 0)
            {
                if (!deleteContent)
                {
                    throw new MindoraConflictException($"Bucket '{name}' is not empty (objects or earlier versions remain); delete its content first or pass deleteContent: true.");
                }

                await EmptyAsync(physical, cancellationToken);
            }

            await S3Resilience.RunAsync(ct => _s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = physical }, ct), cancellationToken);
            _knownBuckets.TryRemove(name, out _);
            return true;
        });
    }

    /// <summary>Requires the bucket (cached once seen) and returns its physical name.</summary>
    private async Task<string> RequireBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        var physical = FilesBucketNames.Physical(_app, bucket);
        if (!_knownBuckets.ContainsKey(bucket))
        {
            if (!await BucketExistsAsync(physical, cancellationToken))
            {
                throw new MindoraNotFoundException($"Bucket '{bucket}' (create it with EnsureBucketAsync)");
            }

            _knownBuckets[bucket] = true;
        }

        return physical;
    }

    private async Task<bool> BucketExistsAsync(string physical, CancellationToken cancellationToken)
    {
        try
        {
            await S3Resilience.RunAsync(ct => _s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = physical }, ct), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<bool> CanReadBucketAsync(string physical, CancellationToken cancellationToken)
    {
        try
        {
            return await BucketExistsAsync(physical, cancellationToken);
        }
        catch (AmazonS3Exception)
        {
            return false;
        }
    }

    private async Task EmptyAsync(string physical, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await S3Resilience.RunAsync(ct => _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = physical, MaxKeys = 1000 }, ct), cancellationToken);
            var versions = page.Versions ?? [];
            if (versions.Count == 0)
            {
                break;
            }

            await S3Resilience.RunAsync(
                ct => _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = physical, Objects = versions.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId }).ToList() }, ct),
                cancellationToken);
        }

        var uploads = await S3Resilience.RunAsync(ct => _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = physical }, ct), cancellationToken);
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            await S3Resilience.RunAsync(ct => _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = physical, Key = upload.Key, UploadId = upload.UploadId }, ct), cancellationToken);
        }
    }
}
