using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Another_app_on_the_same_store_cannot_see_objects()
    {
        var docs = Open(NewApp());
        var other = Open(NewApp());
        await docs.EnsureBucketAsync("shared");
        await docs.UploadAsync("shared", "secret.txt", new MemoryStream("secret"u8.ToArray()));

        // Without its own bucket of that name, the other app finds nothing at all.
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.GetInfoAsync("shared", "secret.txt"));

        await other.EnsureBucketAsync("shared");
        Assert.Null(await other.GetInfoAsync("shared", "secret.txt"));
        Assert.False(await other.DeleteAsync("shared", "secret.txt"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => other.DownloadAsync("shared", "secret.txt"));
        Assert.Empty(await ToListAsync(other.ListAsync("shared")));
        Assert.True(await docs.ExistsAsync("shared", "secret.txt"));
    }
}
