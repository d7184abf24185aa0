using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// The whole files suite on a real S3-compatible server (Ceph RGW via tests/s3-server.sh, MinIO or AWS), named by
/// <c>MINDORA_TEST_S3</c> in the connection-string form
/// (<c>Endpoint=http://127.0.0.1:9000;AccessKey=…;SecretKey=…</c>). Without it every test is
/// reported as skipped, saying so. Each test works in buckets of its own fresh app, deleted afterwards.
/// </summary>
public sealed class S3FilesTests : FilesSuite
{
    private static readonly string? Connection = Environment.GetEnvironmentVariable("MINDORA_TEST_S3");
    private readonly HashSet<string> _apps = [];
    private readonly HttpClient _http = new();

    /// <summary>Read by the suite's facts: skip everything when no server is named.</summary>
    public static string? SuiteSkipReason => string.IsNullOrWhiteSpace(Connection)
        ? "SKIPPED: no S3 server. Set MINDORA_TEST_S3=\"$(tests/s3-server.sh start /tmp/mindora-ceph)\" (a Ceph RADOS Gateway from Debian packages) or to MinIO's 'Endpoint=http://127.0.0.1:9000;AccessKey=minioadmin;SecretKey=minioadmin' (docs/files.md)."
        : null;

    private static S3ConnectionSettings Settings => S3ConnectionSettings.Parse(Connection!, "MINDORA_TEST_S3");

    public override void Dispose()
    {
        List<string> apps;
        lock (_apps)
        {
            apps = [.. _apps];
        }

        foreach (var app in apps)
        {
            using var files = OpenProvider(app, new MindoraFilesOptions());
            try
            {
                foreach (var bucket in files.ListBucketsAsync().GetAwaiter().GetResult())
                {
                    files.DeleteBucketAsync(bucket.Name, deleteContent: true).GetAwaiter().GetResult();
                }
            }
            catch (AmazonS3Exception)
            {
                // Cleanup is best effort: a leftover test bucket must not hide the test's own result.
            }
        }

        _http.Dispose();
        base.Dispose();
    }

    [SuiteFact]
    public async Task Confirming_a_client_put_over_the_size_limit_removes_it_and_announces_nothing()
    {
        // S3 cannot bound a presigned PUT's size, so the limit is enforced when the app confirms it.
        var app = NewApp();
        var files = Open(app, new MindoraFilesOptions { MaxUploadBytes = 8 });
        await files.EnsureBucketAsync("b");
        var announced = 0;
        using var subscription = files.OnVersionCommitted((_, _, _) =>
        {
            Interlocked.Increment(ref announced);
            return Task.CompletedTask;
        });
        var url = await files.GetSignedUrlAsync("b", "big.bin", new SignedUrlOptions { Method = SignedUrlMethod.Put });
        using var response = await SendSignedAsync(app, HttpMethod.Put, url, new ByteArrayContent(new byte[9]));
        Assert.True(response.IsSuccessStatusCode, $"PUT answered {(int)response.StatusCode}.");

        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => files.ConfirmUploadAsync("b", "big.bin"));

        Assert.False(await files.ExistsAsync("b", "big.bin"));
        Assert.Equal(0, announced);
    }

    protected override async Task<HttpResponseMessage> SendSignedAsync(string app, HttpMethod method, Uri url, HttpContent? content = null)
    {
        // Awaited inside the using: disposing the request disposes its content, which must outlive the send.
        using var request = new HttpRequestMessage(method, url) { Content = content };
        return await _http.SendAsync(request);
    }

    private protected override IFilesProvider OpenProvider(string app, MindoraFilesOptions options)
    {
        lock (_apps)
        {
            _apps.Add(app);
        }

        options.MultipartPartBytes = 5L * 1024 * 1024;
        return new S3FilesProvider(Settings, app, options, null, TimeProvider.System);
    }

    protected override async Task AssertNothingLeftBehindAsync(string app)
    {
        using var s3 = RawClient(Settings);
        var buckets = await s3.ListBucketsAsync(new ListBucketsRequest());
        foreach (var bucket in (buckets.Buckets ?? []).Where(b => b.BucketName.StartsWith(app + "-", StringComparison.Ordinal)))
        {
            var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket.BucketName });
            Assert.Empty(uploads.MultipartUploads ?? []);
        }
    }

    internal static AmazonS3Client RawClient(S3ConnectionSettings settings) =>
        new(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), new AmazonS3Config
        {
            ServiceURL = settings.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = settings.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
}
