using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public sealed class FilesIsolationTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Another_app_on_the_same_directory_cannot_see_objects()
    {
        var dir = temp.NewStoreDirectory();
        using var docs = Stores.Files(dir, "docs");
        using var other = Stores.Files(dir, "other");
        await docs.EnsureBucketAsync("shared");
        await docs.UploadAsync("shared", "secret.txt", new MemoryStream("secret"u8.ToArray()));

        // Without its own bucket of that name, the other app finds nothing at all.
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.GetInfoAsync("shared", "secret.txt"));

        await other.EnsureBucketAsync("shared");
        Assert.Null(await other.GetInfoAsync("shared", "secret.txt"));
        Assert.False(await other.DeleteAsync("shared", "secret.txt"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.DownloadAsync("shared", "secret.txt"));
        await foreach (var unused in other.ListAsync("shared"))
        {
            Assert.Fail("The other app listed an object of 'docs'.");
        }

        Assert.True(await docs.ExistsAsync("shared", "secret.txt"));
    }

    [Fact]
    public async Task App_and_bucket_names_with_dashes_do_not_collide()
    {
        // {app}-{bucket} would be "docs-a-b" for both pairs.
        var dir = temp.NewStoreDirectory();
        using var docs = Stores.Files(dir, "docs");
        using var docsA = Stores.Files(dir, "docs-a");
        await docs.EnsureBucketAsync("a-b");
        await docsA.EnsureBucketAsync("b");
        await docs.UploadAsync("a-b", "k", new MemoryStream("docs"u8.ToArray()));

        Assert.Null(await docsA.GetInfoAsync("b", "k"));
        Assert.NotNull(await docs.GetInfoAsync("a-b", "k"));
    }
}
