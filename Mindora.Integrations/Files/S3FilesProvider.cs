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
internal sealed partial class S3FilesProvider : FilesProviderBase, IFilesProvider
{
    private readonly AmazonS3Client _s3;
    private readonly string _app;
    private readonly FilesTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly S3UrlSigner _signer;
    private int _disposed;

    public S3FilesProvider(S3ConnectionSettings settings, string app, MindoraFilesOptions options, IMeterFactory? meterFactory, TimeProvider time)
        : base(options)
    {
        if (options.MultipartPartBytes is < 5L * 1024 * 1024 or > 5L * 1024 * 1024 * 1024)
        {
            throw new MindoraConfigurationException($"{MindoraFilesOptions.SectionName}:MultipartPartBytes must be between 5 MiB and 5 GiB (S3's part sizes).");
        }

        _app = MindoraNames.ValidateAppName(app);
        _time = time;
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
        _signer = new S3UrlSigner(settings, string.IsNullOrWhiteSpace(options.PublicEndpoint) ? null : options.PublicEndpoint);
        _telemetry = new FilesTelemetry(_app, meterFactory);
    }

    public override string App => _app;

    protected override FilesTelemetry Telemetry => _telemetry;

    protected override async Task<ObjectInfo> UploadCoreAsync(string bucket, string key, Stream content, UploadRequest request, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        var versionId = await new S3Upload(_s3, physical, key, request, Options.MultipartPartBytes).RunAsync(content, cancellationToken);
        var info = await HeadAsync(bucket, key, versionId, cancellationToken) ?? throw new MindoraIntegrityException($"Object '{key}' in bucket '{bucket}' was stored but cannot be read back.");
        _telemetry.BytesIn(bucket, info.Size);
        return info;
    }

    protected override async Task<ObjectDownload> DownloadCoreAsync(string bucket, string key, DownloadOptions? options, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        var info = await HeadAsync(bucket, key, options?.VersionId, cancellationToken)
            ?? throw new MindoraNotFoundException(options?.VersionId is null ? $"Object '{key}' in bucket '{bucket}'" : $"Version '{options.VersionId}' of object '{key}' in bucket '{bucket}'");
        var length = FilesArguments.RangeLength(options, info.Size);
        var offset = options?.Offset ?? 0;
        var request = new GetObjectRequest { BucketName = physical, Key = key, VersionId = info.VersionId == "null" ? null : info.VersionId };
        if (length != info.Size)
        {
            request.ByteRange = new ByteRange(offset, offset + length - 1);
        }

        var response = await S3Resilience.RunAsync(ct => _s3.GetObjectAsync(request, ct), cancellationToken);
        _telemetry.BytesOut(bucket, length);
        return new ObjectDownload(info, response.ResponseStream, offset, length);
    }

    protected override async Task<ObjectInfo?> GetInfoCoreAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await RequirePhysicalAsync(bucket, cancellationToken);
        return await HeadAsync(bucket, key, null, cancellationToken);
    }

    // S3's tokens are opaque: only their size and characters can be checked here.
    protected override void ValidateContinuationToken(string continuationToken)
    {
        if (continuationToken.Length > 4096 || MindoraArguments.ContainsControl(continuationToken))
        {
            throw new MindoraValidationException(nameof(continuationToken), "Invalid continuation token: pass the one the previous page returned.");
        }
    }

    protected override async Task<ObjectPage> ListPageCoreAsync(string bucket, string? prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        var response = await S3Resilience.RunAsync(
            ct => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = physical, Prefix = prefix, ContinuationToken = continuationToken, MaxKeys = pageSize }, ct),
            cancellationToken);

        // A listing carries no content type or metadata: read each object's description (a few at a time).
        var keys = (response.S3Objects ?? []).Select(o => o.Key).ToList();
        var infos = new ObjectInfo?[keys.Count];
        await Parallel.ForAsync(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            infos[i] = await HeadAsync(bucket, keys[i], null, ct));
        return new ObjectPage(infos.OfType<ObjectInfo>().ToList(), response.IsTruncated == true ? response.NextContinuationToken : null);
    }

    protected override async Task<Uri> GetSignedUrlCoreAsync(string bucket, string key, SignedUrlOptions settings, CancellationToken cancellationToken)
    {
        var physical = await RequirePhysicalAsync(bucket, cancellationToken);
        return await _signer.SignAsync(physical, key, settings, _time.GetUtcNow());
    }

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
            _signer.Dispose();
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
