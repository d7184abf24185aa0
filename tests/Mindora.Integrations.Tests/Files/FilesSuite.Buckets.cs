using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task Buckets_are_created_listed_and_deleted_per_app()
    {
        var files = Open(NewApp());
        var other = Open(NewApp());
        await files.EnsureBucketAsync("alpha");
        await files.EnsureBucketAsync("beta");
        await other.EnsureBucketAsync("gamma");

        Assert.Equal(["alpha", "beta"], (await files.ListBucketsAsync()).Select(b => b.Name));
        Assert.True(await files.DeleteBucketAsync("alpha"));
        Assert.False(await files.DeleteBucketAsync("alpha"));
        Assert.Equal(["beta"], (await files.ListBucketsAsync()).Select(b => b.Name));
        Assert.Equal(["gamma"], (await other.ListBucketsAsync()).Select(b => b.Name));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => files.UploadAsync("alpha", "k", new MemoryStream([1])));
    }

    [SuiteFact]
    public async Task Deleting_a_non_empty_bucket_is_refused_unless_asked_to_delete_its_content()
    {
        var files = await OpenWithBucketAsync();
        await files.UploadAsync("b", "k1", new MemoryStream([1]));
        await files.UploadAsync("b", "k1", new MemoryStream([2]));
        await files.UploadAsync("b", "k2", new MemoryStream([3]));

        var refused = await Assert.ThrowsAsync<MindoraConflictException>(() => files.DeleteBucketAsync("b"));
        Assert.Contains("not empty", refused.Message, StringComparison.Ordinal);
        Assert.True(await files.ExistsAsync("b", "k1"));

        Assert.True(await files.DeleteBucketAsync("b", deleteContent: true));
        Assert.Empty(await files.ListBucketsAsync());
        await files.EnsureBucketAsync("b");
        Assert.Empty(await ToListAsync(files.ListAsync("b")));
        Assert.Empty(await files.ListVersionsAsync("b", "k1"));
    }

    [SuiteFact]
    public async Task Bucket_names_that_break_s3_rules_once_prefixed_with_the_app_are_rejected()
    {
        // A 31-character app + '-' + a 40-character bucket passes each name's rule but not S3's 63.
        var files = Open(("l" + Guid.NewGuid().ToString("N"))[..31]);

        var error = await Assert.ThrowsAsync<MindoraInvalidNameException>(() => files.EnsureBucketAsync(new string('a', 40)));

        Assert.Contains("S3", error.Message, StringComparison.Ordinal);
        Assert.Empty(await files.ListBucketsAsync());
        await files.EnsureBucketAsync(new string('a', 31));
    }
}
