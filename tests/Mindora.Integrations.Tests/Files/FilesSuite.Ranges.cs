using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Range_download_returns_exactly_the_requested_bytes()
    {
        var files = await OpenWithBucketAsync();
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        await files.UploadAsync("b", "r.bin", new MemoryStream(bytes));

        var middle = await files.DownloadAsync("b", "r.bin", new DownloadOptions { Offset = 100_000, Length = 50_000 });
        Assert.Equal((100_000L, 50_000L, 300_000L), (middle.Offset, middle.Length, middle.Info.Size));
        Assert.Equal(bytes[100_000..150_000], await ReadAllAsync(middle));

        var tail = await files.DownloadAsync("b", "r.bin", new DownloadOptions { Offset = 299_990 });
        Assert.Equal(bytes[299_990..], await ReadAllAsync(tail));

        var clamped = await files.DownloadAsync("b", "r.bin", new DownloadOptions { Offset = 299_000, Length = 10_000 });
        Assert.Equal(bytes[299_000..], await ReadAllAsync(clamped));
    }

    [SuiteFact]
    public async Task Range_outside_the_object_is_a_validation_error()
    {
        var files = await OpenWithBucketAsync();
        await files.UploadAsync("b", "r.bin", new MemoryStream(new byte[10]));

        await Assert.ThrowsAsync<MindoraValidationException>(() => files.DownloadAsync("b", "r.bin", new DownloadOptions { Offset = 10 }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.DownloadAsync("b", "r.bin", new DownloadOptions { Offset = -1 }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.DownloadAsync("b", "r.bin", new DownloadOptions { Length = 0 }));
    }

    [SuiteFact]
    public async Task List_page_hands_out_continuation_tokens_until_the_last_page()
    {
        var files = await OpenWithBucketAsync();
        var keys = Enumerable.Range(0, 25).Select(i => $"p/{i:d2}").ToList();
        foreach (var key in keys)
        {
            await files.UploadAsync("b", key, new MemoryStream([1]));
        }

        await files.UploadAsync("b", "q/other", new MemoryStream([1]));
        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await files.ListPageAsync("b", "p/", token, pageSize: 10);
            listed.AddRange(page.Items.Select(i => i.Key));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(keys, listed);
        Assert.Equal(3, pages);
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.ListPageAsync("b", pageSize: 0));
        await Assert.ThrowsAsync<MindoraValidationException>(() => files.ListPageAsync("b", pageSize: 1001));
    }

    [SuiteFact]
    public async Task Content_type_is_detected_when_none_is_given_and_metadata_round_trips()
    {
        var files = await OpenWithBucketAsync();
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var pdf = await files.UploadAsync("b", "doc", new MemoryStream("%PDF-1.7\n1 0 obj"u8.ToArray()), new UploadOptions
        {
            Metadata = new Dictionary<string, string> { ["Source"] = "scanner 3" },
        });
        var json = await files.UploadAsync("b", "data", new MemoryStream("{}"u8.ToArray()), new UploadOptions { ContentType = "application/json" });

        var info = await files.GetInfoAsync("b", "doc");
        Assert.Equal("application/pdf", info!.ContentType);
        Assert.Equal("scanner 3", info.Metadata["source"]);
        Assert.Equal(Stores.Sha256Hex("%PDF-1.7\n1 0 obj"u8.ToArray()), info.Sha256);
        Assert.InRange(info.CreatedAt, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(pdf.VersionId, info.VersionId);
        Assert.Equal("application/json", (await files.GetInfoAsync("b", "data"))!.ContentType);
        Assert.Equal(json.Sha256, (await files.DownloadAsync("b", "data")).Info.Sha256);
    }
}
