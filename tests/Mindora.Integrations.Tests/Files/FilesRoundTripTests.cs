using System.Text;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public sealed class FilesRoundTripTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Upload_then_download_returns_same_bytes_and_sha256()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("uploads");
        var bytes = new byte[200_000];
        new Random(42).NextBytes(bytes);

        var info = await files.UploadAsync("uploads", "reports/2024/q1.bin", new MemoryStream(bytes));

        Assert.Equal("uploads", info.Bucket);
        Assert.Equal("reports/2024/q1.bin", info.Key);
        Assert.Equal(bytes.Length, info.Size);
        Assert.Equal(Stores.Sha256Hex(bytes), info.Sha256);
        await using var download = await files.DownloadAsync("uploads", "reports/2024/q1.bin");
        var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(info, download.Info with { Metadata = info.Metadata });
        Assert.Equal(info.Sha256, download.Info.Sha256);
    }

    [Fact]
    public async Task Get_info_and_exists_describe_the_stored_object()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        var uploaded = await files.UploadAsync("b", "k.txt", new MemoryStream("hello"u8.ToArray()), new UploadOptions
        {
            Metadata = new Dictionary<string, string> { ["Original-Name"] = "Hello.txt", ["owner"] = "ana" },
        });

        var info = await files.GetInfoAsync("b", "k.txt");

        Assert.NotNull(info);
        Assert.Equal(uploaded.Sha256, info.Sha256);
        Assert.Equal(uploaded.CreatedAt, info.CreatedAt);
        Assert.Equal("Hello.txt", info.Metadata["original-name"]);
        Assert.Equal("ana", info.Metadata["owner"]);
        Assert.True(await files.ExistsAsync("b", "k.txt"));
        Assert.False(await files.ExistsAsync("b", "other.txt"));
        Assert.Null(await files.GetInfoAsync("b", "other.txt"));
    }

    [Fact]
    public async Task Overwrite_replaces_content_and_removes_the_old_blob()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "doc.txt", new MemoryStream("first version"u8.ToArray()));

        var second = await files.UploadAsync("b", "doc.txt", new MemoryStream("second, longer version"u8.ToArray()));

        await using var download = await files.DownloadAsync("b", "doc.txt");
        using var reader = new StreamReader(download.Content, Encoding.UTF8);
        Assert.Equal("second, longer version", await reader.ReadToEndAsync());
        Assert.Equal(second.Sha256, download.Info.Sha256);
        Assert.Single(Stores.BlobFiles(dir));
    }

    [Fact]
    public async Task Delete_removes_object_and_blob_and_reports_whether_it_existed()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "gone.txt", new MemoryStream("x"u8.ToArray()));

        Assert.True(await files.DeleteAsync("b", "gone.txt"));
        Assert.False(await files.DeleteAsync("b", "gone.txt"));
        Assert.False(await files.ExistsAsync("b", "gone.txt"));
        Assert.Empty(Stores.BlobFiles(dir));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.DownloadAsync("b", "gone.txt"));
    }

    [Fact]
    public async Task Ensure_bucket_is_idempotent_and_survives_a_new_provider()
    {
        var dir = temp.NewStoreDirectory();
        using (var first = Stores.Files(dir))
        {
            await first.EnsureBucketAsync("b");
            await first.EnsureBucketAsync("b");
            await first.UploadAsync("b", "k", new MemoryStream([1, 2, 3]));
        }

        using var second = Stores.Files(dir);
        await second.EnsureBucketAsync("b");
        Assert.True(await second.ExistsAsync("b", "k"));
    }

    [Fact]
    public async Task Operations_on_an_unknown_bucket_throw_not_found()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.UploadAsync("missing", "k", new MemoryStream([1])));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.DownloadAsync("missing", "k"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.GetInfoAsync("missing", "k"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(async () =>
        {
            await foreach (var unused in files.ListAsync("missing"))
            {
            }
        });
    }

    [Fact]
    public async Task Key_that_looks_like_an_escape_is_a_literal_key_stored_inside_the_bucket()
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");

        await files.UploadAsync("b", "..%2f..%2fescape", new MemoryStream("x"u8.ToArray()));

        Assert.True(await files.ExistsAsync("b", "..%2f..%2fescape"));
        var blob = Assert.Single(Stores.BlobFiles(dir));
        Assert.Equal(Path.Combine(dir, "blobs", "docs", "b"), Path.GetDirectoryName(blob));
        Assert.DoesNotContain("escape", Path.GetFileName(blob), StringComparison.Ordinal);
        var entries = Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)!).Where(n => !n.StartsWith("files.db-", StringComparison.Ordinal));
        Assert.Equal(["blobs", "files.db"], entries.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("/abs")]
    [InlineData("a\\b")]
    public async Task Path_like_keys_are_rejected_before_anything_is_written(string key)
    {
        var dir = temp.NewStoreDirectory();
        using var files = Stores.Files(dir);
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.UploadAsync("b", key, new MemoryStream([1])));
        Assert.Empty(Stores.BlobFiles(dir));
    }

    [Theory]
    [InlineData("Bucket")]
    [InlineData("b_1")]
    [InlineData("-b")]
    [InlineData("")]
    public async Task Invalid_bucket_names_are_rejected(string bucket)
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.EnsureBucketAsync(bucket));
    }

    [Fact]
    public async Task Invalid_metadata_is_rejected()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraValidationException>(() => files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions
        {
            Metadata = new Dictionary<string, string> { ["bad key"] = "v" },
        }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions
        {
            Metadata = new Dictionary<string, string> { ["k"] = new string('v', 3000) },
        }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.UploadAsync("b", "k", new MemoryStream([1]), new UploadOptions
        {
            Metadata = new Dictionary<string, string> { ["Owner"] = "a", ["owner"] = "b" },
        }));
    }

    [Fact]
    public async Task Concurrent_overwrites_from_two_stores_leave_one_consistent_object()
    {
        var dir = temp.NewStoreDirectory();
        using var a = Stores.Files(dir);
        using var b = Stores.Files(dir);
        await a.EnsureBucketAsync("b");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? a : b).UploadAsync("b", "same", new PatternStream(10_000 + i, (byte)i))));

        var info = await b.GetInfoAsync("b", "same");
        await using var download = await a.DownloadAsync("b", "same");
        var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        Assert.Equal(info!.Sha256, Stores.Sha256Hex(copy.ToArray()));
        Assert.Single(Stores.BlobFiles(dir));
    }
}
