using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

internal sealed partial class S3FilesProvider
{
    protected override async Task EnsureBucketCoreAsync(string bucket, string physical, CancellationToken cancellationToken)
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
                throw new MindoraConflictException($"Bucket '{bucket}' cannot be created: its store name '{physical}' is taken by someone else on this server.", e);
            }
        }

        if (Options.Versioning)
        {
            await S3Resilience.RunAsync(
                ct => _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = physical, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, ct),
                cancellationToken);
        }
    }

    protected override async Task<IReadOnlyList<BucketInfo>> ListBucketsCoreAsync(CancellationToken cancellationToken)
    {
        var response = await S3Resilience.RunAsync(ct => _s3.ListBucketsAsync(new ListBucketsRequest(), ct), cancellationToken);
        var prefix = _app + "-";
        return (response.Buckets ?? [])
            .Where(b => b.BucketName.StartsWith(prefix, StringComparison.Ordinal))
            .Select(b => new BucketInfo(b.BucketName[prefix.Length..], new DateTimeOffset(DateTime.SpecifyKind(b.CreationDate ?? DateTime.UnixEpoch, DateTimeKind.Utc))))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
    }

    protected override string StoreBucketName(string bucket) => FilesBucketNames.Physical(_app, bucket);

    protected override async Task<bool> DeleteBucketCoreAsync(string bucket, string store, bool deleteContent, CancellationToken cancellationToken)
    {
        if (!await BucketExistsAsync(store, cancellationToken))
        {
            return false;
        }

        var versions = await S3Resilience.RunAsync(ct => _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = store, MaxKeys = 1 }, ct), cancellationToken);
        if ((versions.Versions?.Count ?? 0) > 0)
        {
            if (!deleteContent)
            {
                throw new MindoraConflictException($"Bucket '{bucket}' is not empty (objects or earlier versions remain); delete its content first or pass deleteContent: true.");
            }

            await EmptyAsync(store, cancellationToken);
        }

        await S3Resilience.RunAsync(ct => _s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = store }, ct), cancellationToken);
        KnownBuckets.TryRemove(bucket, out _);
        return true;
    }

    protected override Task RequireBucketAsync(string bucket, CancellationToken cancellationToken) => RequirePhysicalAsync(bucket, cancellationToken);

    /// <summary>Requires the bucket (cached once seen) and returns its physical name.</summary>
    private async Task<string> RequirePhysicalAsync(string bucket, CancellationToken cancellationToken)
    {
        var physical = FilesBucketNames.Physical(_app, bucket);
        if (!KnownBuckets.ContainsKey(bucket))
        {
            if (!await BucketExistsAsync(physical, cancellationToken))
            {
                throw new MindoraNotFoundException($"Bucket '{bucket}' (create it with EnsureBucketAsync)");
            }

            KnownBuckets[bucket] = true;
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
