using System.Text;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Every_upload_of_a_key_is_a_version_readable_by_its_id()
    {
        var files = await OpenWithBucketAsync();
        var v1 = await files.UploadAsync("b", "doc.txt", new MemoryStream("one"u8.ToArray()));
        var v2 = await files.UploadAsync("b", "doc.txt", new MemoryStream("two"u8.ToArray()));

        var versions = await files.ListVersionsAsync("b", "doc.txt");

        Assert.Equal([v2.VersionId, v1.VersionId], versions.Select(v => v.VersionId));
        Assert.Equal([true, false], versions.Select(v => v.IsLatest));
        Assert.All(versions, v => Assert.False(v.IsDeleteMarker));
        Assert.Equal(v1.Sha256, versions[1].Info!.Sha256);
        Assert.Equal("one", Encoding.UTF8.GetString(await ReadAllAsync(await files.DownloadAsync("b", "doc.txt", new DownloadOptions { VersionId = v1.VersionId }))));
        Assert.Equal("two", await ReadTextAsync(files, "b", "doc.txt"));
    }

    [SuiteFact]
    public async Task Restoring_an_earlier_version_makes_it_current_as_a_new_version()
    {
        var files = await OpenWithBucketAsync();
        var v1 = await files.UploadAsync("b", "doc.txt", new MemoryStream("one"u8.ToArray()));
        await files.UploadAsync("b", "doc.txt", new MemoryStream("two"u8.ToArray()));

        var restored = await files.RestoreVersionAsync("b", "doc.txt", v1.VersionId);

        Assert.NotEqual(v1.VersionId, restored.VersionId);
        Assert.Equal(v1.Sha256, restored.Sha256);
        Assert.Equal("one", await ReadTextAsync(files, "b", "doc.txt"));
        var versions = await files.ListVersionsAsync("b", "doc.txt");
        Assert.Equal(3, versions.Count);
        Assert.Equal(restored.VersionId, versions[0].VersionId);
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.RestoreVersionAsync("b", "doc.txt", "no-such-version"));
    }

    [SuiteFact]
    public async Task Delete_leaves_a_marker_and_earlier_versions_stay_readable()
    {
        var files = await OpenWithBucketAsync();
        var v1 = await files.UploadAsync("b", "doc.txt", new MemoryStream("one"u8.ToArray()));

        Assert.True(await files.DeleteAsync("b", "doc.txt"));

        Assert.False(await files.ExistsAsync("b", "doc.txt"));
        Assert.Empty(await ToListAsync(files.ListAsync("b")));
        var versions = await files.ListVersionsAsync("b", "doc.txt");
        Assert.True(versions[0].IsDeleteMarker);
        Assert.True(versions[0].IsLatest);
        Assert.Null(versions[0].Info);
        Assert.Equal(v1.VersionId, versions[1].VersionId);
        Assert.Equal("one", Encoding.UTF8.GetString(await ReadAllAsync(await files.DownloadAsync("b", "doc.txt", new DownloadOptions { VersionId = v1.VersionId }))));

        // Deleting the marker for good brings the object back, as in S3.
        Assert.True(await files.DeleteVersionAsync("b", "doc.txt", versions[0].VersionId));
        Assert.Equal("one", await ReadTextAsync(files, "b", "doc.txt"));
    }

    [SuiteFact]
    public async Task Deleting_a_version_for_good_removes_only_that_version()
    {
        var files = await OpenWithBucketAsync();
        var v1 = await files.UploadAsync("b", "doc.txt", new MemoryStream("one"u8.ToArray()));
        var v2 = await files.UploadAsync("b", "doc.txt", new MemoryStream("two"u8.ToArray()));

        Assert.True(await files.DeleteVersionAsync("b", "doc.txt", v2.VersionId));
        Assert.False(await files.DeleteVersionAsync("b", "doc.txt", v2.VersionId));

        Assert.Equal([v1.VersionId], (await files.ListVersionsAsync("b", "doc.txt")).Select(v => v.VersionId));
        Assert.Equal("one", await ReadTextAsync(files, "b", "doc.txt"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.DownloadAsync("b", "doc.txt", new DownloadOptions { VersionId = v2.VersionId }));

        Assert.True(await files.DeleteVersionAsync("b", "doc.txt", v1.VersionId));
        Assert.False(await files.ExistsAsync("b", "doc.txt"));
        Assert.Empty(await files.ListVersionsAsync("b", "doc.txt"));
    }

    [SuiteFact]
    public async Task Without_versioning_an_overwrite_or_delete_keeps_no_history()
    {
        var files = await OpenWithBucketAsync(new MindoraFilesOptions { Versioning = false });
        await files.UploadAsync("b", "doc.txt", new MemoryStream("one"u8.ToArray()));
        var v2 = await files.UploadAsync("b", "doc.txt", new MemoryStream("two"u8.ToArray()));

        Assert.Equal([v2.VersionId], (await files.ListVersionsAsync("b", "doc.txt")).Select(v => v.VersionId));
        Assert.True(await files.DeleteAsync("b", "doc.txt"));
        Assert.Empty(await files.ListVersionsAsync("b", "doc.txt"));
    }
}
