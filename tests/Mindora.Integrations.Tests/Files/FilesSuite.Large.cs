using System.Security.Cryptography;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// Content larger than one S3 part (the S3 subclasses use 5 MiB parts): a multipart upload, the
/// SHA-256 stamped afterwards by a self-copy, and aborts. The embedded store runs the same
/// behaviour with no parts.
/// </summary>
public abstract partial class FilesSuite
{
    private const long LargeSize = (11L * 1024 * 1024) + 123;

    [SuiteFact]
    public async Task Content_larger_than_one_part_round_trips_with_its_sha256_as_one_version()
    {
        var files = await OpenWithBucketAsync();
        var sha = await Sha256HexAsync(new PatternStream(LargeSize));

        var info = await files.UploadAsync("b", "big.bin", new PatternStream(LargeSize), new UploadOptions { Metadata = new Dictionary<string, string> { ["owner"] = "ana" } });

        Assert.Equal((LargeSize, sha, "ana"), (info.Size, info.Sha256, info.Metadata["owner"]));
        Assert.Equal([info.VersionId], (await files.ListVersionsAsync("b", "big.bin")).Select(v => v.VersionId));
        await using (var download = await files.DownloadAsync("b", "big.bin"))
        {
            Assert.Equal(sha, await Sha256HexAsync(download.Content));
        }

        // A range across the first part boundary.
        var boundary = 5L * 1024 * 1024;
        var range = await ReadAllAsync(await files.DownloadAsync("b", "big.bin", new DownloadOptions { Offset = boundary - 10, Length = 20 }));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => PatternStream.ByteAt(boundary - 10 + i, 7)), range);
    }

    [SuiteFact]
    public async Task Large_overwrite_is_a_new_version_and_a_large_copy_keeps_content_and_metadata()
    {
        var files = await OpenWithBucketAsync();
        var v1 = await files.UploadAsync("b", "big.bin", new PatternStream(LargeSize));
        var sha2 = await Sha256HexAsync(new PatternStream(LargeSize, seed: 9));

        var v2 = await files.UploadAsync("b", "big.bin", new PatternStream(LargeSize, seed: 9), new UploadOptions { ExpectedSha256 = sha2, Metadata = new Dictionary<string, string> { ["n"] = "2" } });
        var copy = await files.CopyAsync("b", "big.bin", "b", "copy.bin");

        Assert.Equal([v2.VersionId, v1.VersionId], (await files.ListVersionsAsync("b", "big.bin")).Select(v => v.VersionId));
        Assert.Equal((sha2, "2", LargeSize), (copy.Sha256, copy.Metadata["n"], copy.Size));
        await using var old = await files.DownloadAsync("b", "big.bin", new DownloadOptions { VersionId = v1.VersionId });
        Assert.Equal(v1.Sha256, await Sha256HexAsync(old.Content));
    }

    [SuiteFact]
    public async Task Large_upload_with_a_wrong_checksum_leaves_nothing_and_keeps_the_previous_version()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        var wrong = new UploadOptions { ExpectedSha256 = new string('0', 64) };

        await Assert.ThrowsAsync<MindoraIntegrityException>(() => files.UploadAsync("b", "k", new PatternStream(LargeSize), wrong));
        Assert.Empty(await files.ListVersionsAsync("b", "k"));
        await AssertNothingLeftBehindAsync(app);

        var v1 = await files.UploadAsync("b", "k", new MemoryStream("first"u8.ToArray()));
        await Assert.ThrowsAsync<MindoraIntegrityException>(() => files.UploadAsync("b", "k", new PatternStream(LargeSize), wrong));
        Assert.Equal([v1.VersionId], (await files.ListVersionsAsync("b", "k")).Select(v => v.VersionId));
        Assert.Equal("first", await ReadTextAsync(files, "b", "k"));
    }

    [SuiteFact]
    public async Task Large_upload_failing_after_the_first_part_leaves_nothing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<IOException>(() => files.UploadAsync("b", "k", new FailingStream(7L * 1024 * 1024, () => throw new IOException("dropped"))));

        Assert.False(await files.ExistsAsync("b", "k"));
        Assert.Empty(await files.ListVersionsAsync("b", "k"));
        await AssertNothingLeftBehindAsync(app);
    }

    private static async Task<string> Sha256HexAsync(Stream content) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(content));
}
