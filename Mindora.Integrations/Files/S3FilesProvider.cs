using System.Diagnostics.Metrics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mindora.Integrations.Files;

/// <summary>
/// Files on S3 or MinIO through AWSSDK.S3 (path-style addressing, SigV4). The app's logical
/// bucket <c>b</c> is the physical bucket <c>{app}-b</c>; isolation between apps on one server
/// comes from each app's own credentials. Retries (Polly) cover idempotent calls; uploads larger
/// than one part go up as multipart uploads that are aborted on any failure.
/// </summary>
internal sealed partial class S3FilesProvider : IFilesProvider
{
    private readonly AmazonS3Client _s3;
    private readonly string _app;
    private readonly MindoraFilesOptions _options;
    private readonly FilesTelemetry _telemetry;
    private readonly UploadNotifier _notifier = new();
    private readonly TimeProvider _time;
    private readonly bool _http;
    private int _disposed;

    public S3FilesProvider(S3ConnectionSettings settings, string app, MindoraFilesOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        if (options.MultipartPartBytes is < 5L * 1024 * 1024 or > 5L * 1024 * 1024 * 1024)
        {
            throw new MindoraConfigurationException($"{MindoraFilesOptions.SectionName}:MultipartPartBytes must be between 5 MiB and 5 GiB (S3's part sizes).");
        }

        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _time = time;
        _http = settings.Endpoint.Scheme == "http";
        var config = new AmazonS3Config
        {
            ServiceURL = settings.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = settings.Region,
            MaxErrorRetry = 0, // S3Resilience is the one retry policy
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
        _telemetry = new FilesTelemetry(_app, meterFactory);
    }

    public Task<ObjectInfo> UploadAsync(string bucket, string key, Stream content, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        ArgumentNullException.ThrowIfNull(content);
        var request = FilesArguments.Upload(options, _options);
        return _telemetry.RunAsync("upload", name, async () =>
        {
            var physical = await RequireBucketAsync(name, cancellationToken);
            var versionId = await new S3Upload(_s3, physical, key, request, _options.MultipartPartBytes).RunAsync(content, cancellationToken);
            var info = await HeadAsync(name, key, versionId, cancellationToken) ?? throw new MindoraIntegrityException($"Object '{key}' in bucket '{name}' was stored but cannot be read back.");
            _telemetry.BytesIn(name, info.Size);
            _telemetry.HandlerFailures(name, await _notifier.NotifyAsync(info, cancellationToken));
            return info;
        });
    }

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        if (options?.VersionId is { } version)
        {
            FilesArguments.VersionId(version);
        }

        return _telemetry.RunAsync("download", name, async () =>
        {
            var physical = await RequireBucketAsync(name, cancellationToken);
            var info = await HeadAsync(name, key, options?.VersionId, cancellationToken)
                ?? throw new MindoraNotFoundException(options?.VersionId is null ? $"Object '{key}' in bucket '{name}'" : $"Version '{options.VersionId}' of object '{key}' in bucket '{name}'");
            var length = FilesArguments.RangeLength(options, info.Size);
            var offset = options?.Offset ?? 0;
            var request = new GetObjectRequest { BucketName = physical, Key = key, VersionId = info.VersionId == "null" ? null : info.VersionId };
            if (length != info.Size)
            {
                request.ByteRange = new ByteRange(offset, offset + length - 1);
            }

            var response = await S3Resilience.RunAsync(ct => _s3.GetObjectAsync(request, ct), cancellationToken);
            _telemetry.BytesOut(name, length);
            return new ObjectDownload(info, response.ResponseStream, offset, length);
        });
    }

    public Task<ObjectDownload> DownloadAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        DownloadAsync(bucket, key, null, cancellationToken);

    public Task<ObjectInfo?> GetInfoAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        return _telemetry.RunAsync("get_info", name, async () =>
        {
            await RequireBucketAsync(name, cancellationToken);
            return await HeadAsync(name, key, null, cancellationToken);
        });
    }

    public async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        await GetInfoAsync(bucket, key, cancellationToken) is not null;

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
        if (continuationToken is not null && (continuationToken.Length > 4096 || MindoraArguments.ContainsControl(continuationToken)))
        {
            throw new MindoraValidationException(nameof(continuationToken), "Invalid continuation token: pass the one the previous page returned.");
        }

        return _telemetry.RunAsync("list", name, async () =>
        {
            var physical = await RequireBucketAsync(name, cancellationToken);
            var response = await S3Resilience.RunAsync(
                ct => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = physical, Prefix = prefix, ContinuationToken = continuationToken, MaxKeys = pageSize }, ct),
                cancellationToken);

            // A listing carries no content type or metadata: read each object's description (a few at a time).
            var keys = (response.S3Objects ?? []).Select(o => o.Key).ToList();
            var infos = new ObjectInfo?[keys.Count];
            await Parallel.ForAsync(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
                infos[i] = await HeadAsync(name, keys[i], null, ct));
            return new ObjectPage(infos.OfType<ObjectInfo>().ToList(), response.IsTruncated == true ? response.NextContinuationToken : null);
        });
    }

    public Task<Uri> GetSignedUrlAsync(string bucket, string key, SignedUrlOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = FilesArguments.Bucket(bucket);
        FilesArguments.Key(key);
        var settings = FilesArguments.SignedUrl(options);
        return _telemetry.RunAsync("sign", name, async () =>
        {
            var physical = await RequireBucketAsync(name, cancellationToken);
            var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = physical,
                Key = key,
                VersionId = settings.VersionId,
                Verb = settings.Method == SignedUrlMethod.Put ? HttpVerb.PUT : HttpVerb.GET,
                Expires = _time.GetUtcNow().UtcDateTime.Add(settings.ExpiresIn),
                Protocol = _http ? Protocol.HTTP : Protocol.HTTPS,
            });
            return new Uri(url);
        });
    }

    public IDisposable OnUploadCommitted(Func<ObjectInfo, CancellationToken, Task> handler) => _notifier.Subscribe(handler);

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _s3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken);
        }
        catch (AmazonServiceException e)
        {
            throw new MindoraUnavailableException($"S3 did not answer as expected: {e.ErrorCode} ({(int)e.StatusCode}).", e);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _s3.Dispose();
            _telemetry.Dispose();
        }
    }

    /// <summary>The object's description (a version's when given), or null when there is none.</summary>
    private async Task<ObjectInfo?> HeadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken)
    {
        try
        {
            var head = await S3Resilience.RunAsync(
                ct => _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = FilesBucketNames.Physical(_app, bucket), Key = key, VersionId = versionId == "null" ? null : versionId }, ct),
                cancellationToken);
            return head.DeleteMarker == "true" ? null : S3Objects.FromHead(bucket, key, head);
        }
        catch (AmazonS3Exception e) when (S3Objects.IsNotFound(e) || e.ErrorCode == "InvalidArgument")
        {
            return null;
        }
    }
}
