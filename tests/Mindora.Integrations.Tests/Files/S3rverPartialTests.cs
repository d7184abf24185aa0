using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// PARTIAL coverage of the S3 provider against s3rver (npm), a real but incomplete S3 server: no
/// versioning, no signature checks, broken copy. Only the plain paths run here — bucket create,
/// single and multipart upload, download (whole and ranged), listing, delete, abort on failure —
/// with versioning off. It never replaces <see cref="S3FilesTests"/> (MinIO/AWS). Runs when
/// <c>MINDORA_TEST_S3RVER</c> names a running s3rver
/// (<c>Endpoint=http://127.0.0.1:4568;AccessKey=S3RVER;SecretKey=S3RVER</c>); docs/files.md says how to start one.
/// </summary>
public sealed class S3rverPartialTests : IDisposable
{
    private static readonly string? Connection = Environment.GetEnvironmentVariable("MINDORA_TEST_S3RVER");
    private readonly S3FilesProvider? _files;

    public S3rverPartialTests()
    {
        if (!string.IsNullOrWhiteSpace(Connection))
        {
            var options = new MindoraFilesOptions { Versioning = false, MultipartPartBytes = 5L * 1024 * 1024 };
            _files = new S3FilesProvider(S3ConnectionSettings.Parse(Connection, "MINDORA_TEST_S3RVER"), "p" + Guid.NewGuid().ToString("N")[..10], options, null, TimeProvider.System);
        }
    }

    public void Dispose() => _files?.Dispose();

    [S3rverFact]
    public async Task Partial_s3rver_single_put_round_trips_bytes_type_metadata_and_sha256()
    {
        var files = _files!;
        await files.EnsureBucketAsync("b");
        var bytes = "%PDF-1.7 partial server"u8.ToArray();

        var info = await files.UploadAsync("b", "docs/a.pdf", new MemoryStream(bytes), new UploadOptions { Metadata = new Dictionary<string, string> { ["owner"] = "ana" } });

        Assert.Equal(("application/pdf", Stores.Sha256Hex(bytes), "ana"), (info.ContentType, info.Sha256, info.Metadata["owner"]));
        await using var download = await files.DownloadAsync("b", "docs/a.pdf");
        var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [S3rverFact]
    public async Task Partial_s3rver_multipart_upload_above_one_part_round_trips_and_ranges_work()
    {
        var files = _files!;
        await files.EnsureBucketAsync("b");
        const long size = (11L * 1024 * 1024) + 123;

        // With the SHA-256 known up front the provider needs no self-copy, which s3rver cannot do.
        var sha = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(new PatternStream(size)));
        var info = await files.UploadAsync("b", "big.bin", new PatternStream(size), new UploadOptions { ExpectedSha256 = sha });

        Assert.Equal(size, info.Size);
        await using var range = await files.DownloadAsync("b", "big.bin", new DownloadOptions { Offset = 6L * 1024 * 1024, Length = 1000 });
        var buffer = new MemoryStream();
        await range.Content.CopyToAsync(buffer);
        Assert.Equal(1000, buffer.Length);
        Assert.Equal(PatternStream.ByteAt(6L * 1024 * 1024, 7), buffer.ToArray()[0]);
    }

    [S3rverFact]
    public async Task Partial_s3rver_failed_multipart_upload_is_aborted_and_leaves_no_object()
    {
        var files = _files!;
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<IOException>(() => files.UploadAsync("b", "broken.bin", new FailingStream(7L * 1024 * 1024, () => throw new IOException("dropped"))));
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => files.UploadAsync("b", "huge.bin", new PatternStream(12L * 1024 * 1024), new UploadOptions { MaxBytes = 6L * 1024 * 1024 }));

        Assert.False(await files.ExistsAsync("b", "broken.bin"));
        Assert.False(await files.ExistsAsync("b", "huge.bin"));
    }

    [S3rverFact]
    public async Task Partial_s3rver_list_by_prefix_and_delete()
    {
        var files = _files!;
        await files.EnsureBucketAsync("b");
        foreach (var key in new[] { "in/1", "in/2", "out/3" })
        {
            await files.UploadAsync("b", key, new MemoryStream([1]));
        }

        var listed = new List<string>();
        await foreach (var info in files.ListAsync("b", "in/"))
        {
            listed.Add(info.Key);
        }

        Assert.Equal(["in/1", "in/2"], listed);
        Assert.True(await files.DeleteAsync("b", "in/1"));
        Assert.False(await files.DeleteAsync("b", "in/1"));
        Assert.False(await files.ExistsAsync("b", "in/1"));
    }
}

/// <summary>Runs when MINDORA_TEST_S3RVER names a running s3rver; otherwise skipped, saying what it would cover.</summary>
internal sealed class S3rverFactAttribute : FactAttribute
{
    public S3rverFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MINDORA_TEST_S3RVER")))
        {
            Skip = "SKIPPED: partial S3 check needs MINDORA_TEST_S3RVER (a running s3rver; docs/files.md). The full S3 suite is S3FilesTests (MINDORA_TEST_S3).";
        }
    }
}
