using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public sealed class FilesFailureTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Oversize_upload_fails_and_leaves_nothing()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");

        var error = await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() =>
            files.UploadAsync("b", "big.bin", new PatternStream(500_000), new UploadOptions { MaxBytes = 100_000 }));

        Assert.Equal(100_000, error.LimitBytes);
        Assert.Empty(Stores.BlobFiles(dir));
        Assert.False(await files.ExistsAsync("b", "big.bin"));
    }

    [Fact]
    public async Task Configured_max_upload_bytes_applies_when_the_upload_sets_no_limit()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir, options: new MindoraFilesOptions { MaxUploadBytes = 1000 });
        await files.EnsureBucketAsync("b");

        await files.UploadAsync("b", "exact.bin", new PatternStream(1000));
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => files.UploadAsync("b", "over.bin", new PatternStream(1001)));

        Assert.Single(Stores.BlobFiles(dir));
        Assert.False(await files.ExistsAsync("b", "over.bin"));
    }

    [Fact]
    public async Task Oversize_overwrite_keeps_the_previous_version()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        var original = await files.UploadAsync("b", "k", new PatternStream(10));

        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => files.UploadAsync("b", "k", new PatternStream(100), new UploadOptions { MaxBytes = 50 }));

        Assert.Equal(original, await files.GetInfoAsync("b", "k"));
    }

    [Fact]
    public async Task Empty_upload_fails_and_leaves_nothing()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraEmptyContentException>(() => files.UploadAsync("b", "empty.txt", new MemoryStream()));

        Assert.Empty(Stores.BlobFiles(dir));
        Assert.False(await files.ExistsAsync("b", "empty.txt"));
    }

    [Fact]
    public async Task Checksum_mismatch_fails_and_leaves_nothing()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");
        var bytes = "payload"u8.ToArray();

        await Assert.ThrowsAsync<MindoraIntegrityException>(() =>
            files.UploadAsync("b", "k", new MemoryStream(bytes), new UploadOptions { ExpectedSha256 = new string('0', 64) }));

        Assert.Empty(Stores.BlobFiles(dir));
        Assert.False(await files.ExistsAsync("b", "k"));
    }

    [Fact]
    public async Task Matching_checksum_is_accepted_in_any_case()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        var bytes = "payload"u8.ToArray();

        var info = await files.UploadAsync("b", "k", new MemoryStream(bytes), new UploadOptions { ExpectedSha256 = Stores.Sha256Hex(bytes).ToUpperInvariant() });

        Assert.Equal(Stores.Sha256Hex(bytes), info.Sha256);
    }

    [Fact]
    public async Task Malformed_expected_checksum_is_a_validation_error()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraValidationException>(() =>
            files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions { ExpectedSha256 = "abc" }));
    }

    [Fact]
    public async Task Source_stream_throwing_midway_leaves_nothing()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");
        var source = new FailingStream(300_000, () => throw new IOException("network dropped"));

        var error = await Assert.ThrowsAsync<IOException>(() => files.UploadAsync("b", "k", source));

        Assert.Equal("network dropped", error.Message);
        Assert.Empty(Stores.BlobFiles(dir));
        Assert.False(await files.ExistsAsync("b", "k"));
    }

    [Fact]
    public async Task Cancellation_midway_leaves_nothing()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");
        using var cts = new CancellationTokenSource();
        var source = new FailingStream(300_000, cts.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => files.UploadAsync("b", "k", source, cancellationToken: cts.Token));

        Assert.Empty(Stores.BlobFiles(dir));
        Assert.False(await files.ExistsAsync("b", "k"));
    }

    [Fact]
    public async Task Invalid_content_type_is_rejected()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraValidationException>(() =>
            files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions { ContentType = "not a type" }));
    }
}
