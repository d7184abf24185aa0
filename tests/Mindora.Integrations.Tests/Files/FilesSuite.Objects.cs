using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Upload_then_download_returns_same_bytes_and_sha256()
    {
        var files = Open(NewApp());
        await files.EnsureBucketAsync("uploads");
        var bytes = new byte[200_000];
        new Random(42).NextBytes(bytes);

        var info = await files.UploadAsync("uploads", "reports/2024/q1.bin", new MemoryStream(bytes));

        Assert.Equal(("uploads", "reports/2024/q1.bin", (long)bytes.Length), (info.Bucket, info.Key, info.Size));
        Assert.Equal(Stores.Sha256Hex(bytes), info.Sha256);
        var download = await files.DownloadAsync("uploads", "reports/2024/q1.bin");
        Assert.Equal(info.Sha256, download.Info.Sha256);
        Assert.Equal(bytes, await ReadAllAsync(download));
    }

    [SuiteFact]
    public async Task Get_info_and_exists_describe_the_stored_object()
    {
        var files = await OpenWithBucketAsync();
        var uploaded = await files.UploadAsync("b", "k.txt", new MemoryStream("hello"u8.ToArray()), new UploadOptions
        {
            Metadata = new Dictionary<string, string> { ["Original-Name"] = "Hello.txt", ["owner"] = "ana" },
        });

        var info = await files.GetInfoAsync("b", "k.txt");

        Assert.NotNull(info);
        Assert.Equal(uploaded.Sha256, info.Sha256);
        Assert.Equal(uploaded.CreatedAt, info.CreatedAt);
        Assert.Equal("text/plain", info.ContentType);
        Assert.Equal("Hello.txt", info.Metadata["original-name"]);
        Assert.Equal("ana", info.Metadata["owner"]);
        Assert.True(await files.ExistsAsync("b", "k.txt"));
        Assert.False(await files.ExistsAsync("b", "other.txt"));
        Assert.Null(await files.GetInfoAsync("b", "other.txt"));
    }

    [SuiteFact]
    public async Task Overwrite_replaces_the_content()
    {
        var files = await OpenWithBucketAsync();
        await files.UploadAsync("b", "doc.txt", new MemoryStream("first version"u8.ToArray()));

        var second = await files.UploadAsync("b", "doc.txt", new MemoryStream("second, longer version"u8.ToArray()));

        Assert.Equal("second, longer version", await ReadTextAsync(files, "b", "doc.txt"));
        Assert.Equal(second.Sha256, (await files.GetInfoAsync("b", "doc.txt"))!.Sha256);
    }

    [SuiteFact]
    public async Task Delete_removes_the_object_and_reports_whether_it_existed()
    {
        var files = await OpenWithBucketAsync();
        await files.UploadAsync("b", "gone.txt", new MemoryStream("x"u8.ToArray()));

        Assert.True(await files.DeleteAsync("b", "gone.txt"));
        Assert.False(await files.DeleteAsync("b", "gone.txt"));
        Assert.False(await files.ExistsAsync("b", "gone.txt"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.DownloadAsync("b", "gone.txt"));
    }

    [SuiteFact]
    public async Task Ensure_bucket_is_idempotent_and_seen_by_another_process()
    {
        var app = NewApp();
        var first = Open(app);
        await first.EnsureBucketAsync("b");
        await first.EnsureBucketAsync("b");
        await first.UploadAsync("b", "k", new MemoryStream([1, 2, 3]));

        var second = Open(app);
        await second.EnsureBucketAsync("b");
        Assert.True(await second.ExistsAsync("b", "k"));
    }

    [SuiteFact]
    public async Task Operations_on_an_unknown_bucket_throw_not_found()
    {
        var files = Open(NewApp());

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.UploadAsync("missing", "k", new MemoryStream([1])));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.DownloadAsync("missing", "k"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.GetInfoAsync("missing", "k"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => ToListAsync(files.ListAsync("missing")));
    }

    [SuiteTheory]
    [InlineData("..%2f..%2fescape")]
    [InlineData("\u2024\u2024/\u2215etc\u2215passwd")]
    [InlineData("a/%2e%2e/b")]
    [InlineData("C:/windows")]
    public async Task Keys_that_look_like_escapes_are_literal_keys(string key)
    {
        var files = await OpenWithBucketAsync();

        await files.UploadAsync("b", key, new MemoryStream("x"u8.ToArray()));

        Assert.True(await files.ExistsAsync("b", key));
        Assert.Equal([key], (await ToListAsync(files.ListAsync("b"))).Select(i => i.Key));
    }

    [SuiteTheory]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("./a")]
    [InlineData("/abs")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("a\u0001b")]
    [InlineData("a\nb")]
    [InlineData("a//b")]
    public async Task Path_like_and_control_keys_are_rejected_before_anything_is_written(string key)
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.UploadAsync("b", key, new MemoryStream([1])));
        Assert.Empty(await ToListAsync(files.ListAsync("b")));
        await AssertNothingLeftBehindAsync(app);
    }

    [SuiteFact]
    public async Task Keys_over_1024_utf8_bytes_are_rejected_and_1024_is_accepted()
    {
        var files = await OpenWithBucketAsync();
        var longest = new string('é', 512); // 1024 bytes

        await files.UploadAsync("b", longest, new MemoryStream([1]));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.UploadAsync("b", longest + "x", new MemoryStream([1])));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.UploadAsync("b", "lone\ud800surrogate", new MemoryStream([1])));

        Assert.True(await files.ExistsAsync("b", longest));
    }

    [SuiteTheory]
    [InlineData("Bucket")]
    [InlineData("b_1")]
    [InlineData("-b")]
    [InlineData("b-")]
    [InlineData("b.c")]
    [InlineData("")]
    public async Task Invalid_bucket_names_are_rejected(string bucket)
    {
        var files = Open(NewApp());
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.EnsureBucketAsync(bucket));
    }

    [SuiteFact]
    public async Task Invalid_metadata_is_rejected()
    {
        var files = await OpenWithBucketAsync();

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
        Assert.False(await files.ExistsAsync("b", "k"));
    }

    [SuiteFact]
    public async Task Concurrent_overwrites_from_two_processes_leave_one_consistent_object()
    {
        var app = NewApp();
        var a = Open(app);
        var b = Open(app);
        await a.EnsureBucketAsync("b");

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? a : b).UploadAsync("b", "same", new PatternStream(10_000 + i, (byte)i))));

        var info = await b.GetInfoAsync("b", "same");
        var bytes = await ReadAllAsync(await a.DownloadAsync("b", "same"));
        Assert.Equal(info!.Sha256, Stores.Sha256Hex(bytes));
    }
}
