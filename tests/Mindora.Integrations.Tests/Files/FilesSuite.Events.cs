using System.Collections.Concurrent;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Every_path_that_creates_a_version_announces_it_with_its_cause()
    {
        var files = Open(NewApp());
        await files.EnsureBucketAsync("b");
        await files.EnsureBucketAsync("c");
        var announced = new ConcurrentQueue<string>();
        var publicHandler = new ConcurrentQueue<string>();
        using var withCause = files.OnVersionCommitted((info, cause, _) =>
        {
            announced.Enqueue($"{cause} {info.Bucket}/{info.Key}");
            return Task.CompletedTask;
        });
        using var plain = files.OnUploadCommitted((info, _) =>
        {
            publicHandler.Enqueue($"{info.Bucket}/{info.Key} {info.VersionId}");
            return Task.CompletedTask;
        });

        var first = await files.UploadAsync("b", "doc", new MemoryStream([1]));
        var second = await files.UploadAsync("b", "doc", new MemoryStream([2]));
        var copy = await files.CopyAsync("b", "doc", "c", "doc");
        Assert.Equal(1, await files.CopyPrefixAsync("b", "do", "b", "copies/do"));
        var restored = await files.RestoreVersionAsync("b", "doc", first.VersionId);

        Assert.Equal(["upload b/doc", "upload b/doc", "copy c/doc", "copy b/copies/doc", "restore b/doc"], announced);
        Assert.Equal(5, publicHandler.Count);
        Assert.Contains($"b/doc {restored.VersionId}", publicHandler);
        Assert.Contains($"c/doc {copy.VersionId}", publicHandler);
        Assert.NotEqual(second.VersionId, restored.VersionId);
        Assert.Equal([1], await ReadAllAsync(await files.DownloadAsync("b", "doc")));
    }

    [SuiteFact]
    public async Task Confirm_upload_announces_an_object_a_client_put_through_a_signed_url()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        var announced = new ConcurrentQueue<(string Cause, ObjectInfo Info)>();
        using var subscription = files.OnVersionCommitted((info, cause, _) =>
        {
            announced.Enqueue((cause, info));
            return Task.CompletedTask;
        });
        var url = await files.GetSignedUrlAsync("b", "direct/scan.txt", new SignedUrlOptions { Method = SignedUrlMethod.Put });

        // Before the client's PUT there is nothing to confirm, and nothing is announced.
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.ConfirmUploadAsync("b", "direct/scan.txt"));
        using var response = await SendSignedAsync(app, HttpMethod.Put, url, new ByteArrayContent("sent by a client"u8.ToArray()));
        Assert.True(response.IsSuccessStatusCode, $"PUT answered {(int)response.StatusCode}.");
        var confirmed = await files.ConfirmUploadAsync("b", "direct/scan.txt");

        Assert.Equal(Stores.Sha256Hex("sent by a client"u8.ToArray()), confirmed.Sha256);
        Assert.Equal(confirmed.VersionId, Assert.Single(await files.ListVersionsAsync("b", "direct/scan.txt")).VersionId);
        var (cause, info) = Assert.Single(announced);
        Assert.Equal((ObjectUploadCauses.Confirmed, confirmed.VersionId, 16L), (cause, info.VersionId, info.Size));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.ConfirmUploadAsync("missing-bucket", "direct/scan.txt"));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.ConfirmUploadAsync("b", "../escape"));
    }

    [SuiteFact]
    public async Task Upload_read_in_uneven_pieces_stores_every_byte_and_its_sha256()
    {
        // Over one early-writeback slice (8 MiB) and not a multiple of any buffer, read a few KiB at a time as a request body is.
        var files = await OpenWithBucketAsync(new MindoraFilesOptions { MaxUploadBytes = 64L * 1024 * 1024 });
        var bytes = new byte[(9 * 1024 * 1024) + 13];
        new Random(7).NextBytes(bytes);

        var info = await files.UploadAsync("b", "uneven.bin", new TricklingStream(bytes));

        Assert.Equal((bytes.LongLength, Stores.Sha256Hex(bytes)), (info.Size, info.Sha256));
        Assert.Equal(bytes, await ReadAllAsync(await files.DownloadAsync("b", "uneven.bin")));
    }

    /// <summary>Hands out 1 to 5,000 bytes per read, as a network stream does.</summary>
    private sealed class TricklingStream(byte[] content) : MemoryStream(content, writable: false)
    {
        private readonly Random _sizes = new(3);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, _sizes.Next(1, 5001))], cancellationToken);
    }
}
