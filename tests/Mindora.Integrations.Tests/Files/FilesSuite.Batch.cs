using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Copy_makes_an_independent_object_with_the_same_content_type_and_metadata()
    {
        var files = Open(NewApp());
        await files.EnsureBucketAsync("src");
        await files.EnsureBucketAsync("dst");
        var original = await files.UploadAsync("src", "a.txt", new MemoryStream("hello"u8.ToArray()), new UploadOptions
        {
            ContentType = "text/markdown",
            Metadata = new Dictionary<string, string> { ["owner"] = "ana" },
        });

        var sameBucket = await files.CopyAsync("src", "a.txt", "src", "copy/a.txt");
        var otherBucket = await files.CopyAsync("src", "a.txt", "dst", "a.txt");
        await files.UploadAsync("src", "a.txt", new MemoryStream("changed"u8.ToArray()));
        Assert.True(await files.DeleteVersionAsync("src", "a.txt", original.VersionId));

        foreach (var (bucket, key, info) in new[] { ("src", "copy/a.txt", sameBucket), ("dst", "a.txt", otherBucket) })
        {
            Assert.Equal(original.Sha256, info.Sha256);
            Assert.Equal("hello", await ReadTextAsync(files, bucket, key));
            var stored = await files.GetInfoAsync(bucket, key);
            Assert.Equal("text/markdown", stored!.ContentType);
            Assert.Equal("ana", stored.Metadata["owner"]);
        }

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.CopyAsync("src", "missing", "dst", "x"));
    }

    [SuiteFact]
    public async Task Copy_prefix_copies_every_object_under_it_to_the_new_prefix()
    {
        var files = await OpenWithBucketAsync();
        foreach (var key in new[] { "in/1", "in/sub/2", "inx/3", "out/4" })
        {
            await files.UploadAsync("b", key, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(key)));
        }

        Assert.Equal(2, await files.CopyPrefixAsync("b", "in/", "b", "archive/"));

        Assert.Equal(["archive/1", "archive/sub/2"], (await ToListAsync(files.ListAsync("b", "archive/"))).Select(i => i.Key));
        Assert.Equal("in/sub/2", await ReadTextAsync(files, "b", "archive/sub/2"));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.CopyPrefixAsync("b", "in/", "b", "/abs"));
    }

    [SuiteFact]
    public async Task Delete_many_deletes_the_given_keys_and_counts_those_that_existed()
    {
        var files = await OpenWithBucketAsync();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await files.UploadAsync("b", key, new MemoryStream([1]));
        }

        Assert.Equal(3, await files.DeleteManyAsync("b", ["a", "c", "d", "missing", "a"]));

        Assert.Equal(["b"], (await ToListAsync(files.ListAsync("b"))).Select(i => i.Key));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.DeleteManyAsync("b", ["ok", "../bad"]));
        Assert.True(await files.ExistsAsync("b", "b"));
    }

    [SuiteFact]
    public async Task Upload_committed_handlers_see_each_committed_upload_and_cannot_fail_it()
    {
        var files = await OpenWithBucketAsync();
        var seen = new List<string>();
        using (files.OnUploadCommitted((info, _) =>
        {
            lock (seen)
            {
                seen.Add($"{info.Key}:{info.Size}");
            }

            return Task.CompletedTask;
        }))
        using (files.OnUploadCommitted((_, _) => throw new InvalidOperationException("handler bug")))
        {
            await files.UploadAsync("b", "one", new MemoryStream([1, 2]));
            await Assert.ThrowsAsync<MindoraEmptyContentException>(() => files.UploadAsync("b", "empty", new MemoryStream()));
        }

        await files.UploadAsync("b", "after", new MemoryStream([1]));

        Assert.Equal(["one:2"], seen);
        Assert.True(await files.ExistsAsync("b", "one"));
    }
}
