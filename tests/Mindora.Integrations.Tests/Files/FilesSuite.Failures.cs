using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Oversize_upload_fails_and_leaves_nothing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        var error = await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() =>
            files.UploadAsync("b", "big.bin", new PatternStream(500_000), new UploadOptions { MaxBytes = 100_000 }));

        Assert.Equal(100_000, error.LimitBytes);
        Assert.False(await files.ExistsAsync("b", "big.bin"));
        await AssertNothingLeftBehindAsync(app);
    }

    [SuiteFact]
    public async Task Configured_max_upload_bytes_applies_when_the_upload_sets_no_limit()
    {
        var files = await OpenWithBucketAsync(new MindoraFilesOptions { MaxUploadBytes = 1000 });

        await files.UploadAsync("b", "exact.bin", new PatternStream(1000));
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => files.UploadAsync("b", "over.bin", new PatternStream(1001)));

        Assert.True(await files.ExistsAsync("b", "exact.bin"));
        Assert.False(await files.ExistsAsync("b", "over.bin"));
    }

    [SuiteFact]
    public async Task Oversize_overwrite_keeps_the_previous_content()
    {
        var files = await OpenWithBucketAsync();
        var original = await files.UploadAsync("b", "k", new PatternStream(10));

        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => files.UploadAsync("b", "k", new PatternStream(100), new UploadOptions { MaxBytes = 50 }));

        Assert.Equal(original.Sha256, (await files.GetInfoAsync("b", "k"))!.Sha256);
    }

    [SuiteFact]
    public async Task Empty_upload_fails_and_leaves_nothing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraEmptyContentException>(() => files.UploadAsync("b", "empty.txt", new MemoryStream()));

        Assert.False(await files.ExistsAsync("b", "empty.txt"));
        await AssertNothingLeftBehindAsync(app);
    }

    [SuiteFact]
    public async Task Checksum_mismatch_fails_and_leaves_nothing_visible()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraIntegrityException>(() =>
            files.UploadAsync("b", "k", new MemoryStream("payload"u8.ToArray()), new UploadOptions { ExpectedSha256 = new string('0', 64) }));

        Assert.False(await files.ExistsAsync("b", "k"));
        Assert.Empty(await ToListAsync(files.ListAsync("b")));
        await AssertNothingLeftBehindAsync(app);
    }

    [SuiteFact]
    public async Task Matching_checksum_is_accepted_in_any_case()
    {
        var files = await OpenWithBucketAsync();
        var bytes = "payload"u8.ToArray();

        var info = await files.UploadAsync("b", "k", new MemoryStream(bytes), new UploadOptions { ExpectedSha256 = Stores.Sha256Hex(bytes).ToUpperInvariant() });

        Assert.Equal(Stores.Sha256Hex(bytes), info.Sha256);
    }

    [SuiteFact]
    public async Task Malformed_expected_checksum_is_a_validation_error()
    {
        var files = await OpenWithBucketAsync();

        await Assert.ThrowsAsync<MindoraValidationException>(() =>
            files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions { ExpectedSha256 = "abc" }));
    }

    [SuiteFact]
    public async Task Source_stream_throwing_midway_leaves_nothing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        var source = new FailingStream(300_000, () => throw new IOException("network dropped"));

        var error = await Assert.ThrowsAsync<IOException>(() => files.UploadAsync("b", "k", source));

        Assert.Equal("network dropped", error.Message);
        Assert.False(await files.ExistsAsync("b", "k"));
        await AssertNothingLeftBehindAsync(app);
    }

    [SuiteFact]
    public async Task Cancellation_midway_leaves_nothing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        using var cts = new CancellationTokenSource();
        var source = new FailingStream(300_000, cts.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => files.UploadAsync("b", "k", source, cancellationToken: cts.Token));

        Assert.False(await files.ExistsAsync("b", "k"));
        await AssertNothingLeftBehindAsync(app);
    }

    [SuiteFact]
    public async Task Invalid_content_type_is_rejected()
    {
        var files = await OpenWithBucketAsync();

        await Assert.ThrowsAsync<MindoraValidationException>(() =>
            files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions { ContentType = "not a type" }));
    }
}
