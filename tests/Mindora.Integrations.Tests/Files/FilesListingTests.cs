using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public sealed class FilesListingTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task List_by_prefix_pages_through_more_than_500_objects_in_ordinal_order()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        var inPrefix = Enumerable.Range(0, 620).Select(i => $"in/{i:x4}-{(i % 3 == 0 ? "A" : "a")}.txt").ToList();
        var outside = new[] { "im/x", "in", "io/x", "in0", "a", "z/in/x" };
        await Parallel.ForEachAsync(inPrefix.Concat(outside), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (key, ct) =>
            await files.UploadAsync("b", key, new MemoryStream([1]), cancellationToken: ct));

        var listed = new List<string>();
        await foreach (var info in files.ListAsync("b", "in/"))
        {
            listed.Add(info.Key);
        }

        Assert.Equal(inPrefix.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task List_without_prefix_returns_every_key_once_in_order()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        string[] keys = ["b", "a/2", "a/10", "A", "é", "z", "a/1"];
        foreach (var key in keys)
        {
            await files.UploadAsync("b", key, new MemoryStream([1]));
        }

        var listed = new List<string>();
        await foreach (var info in files.ListAsync("b"))
        {
            listed.Add(info.Key);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Prefix_matching_nothing_lists_nothing()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "abc", new MemoryStream([1]));

        var count = 0;
        await foreach (var unused in files.ListAsync("b", "abd"))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Invalid_prefix_is_rejected()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        Assert.Throws<MindoraValidationException>(() => files.ListAsync("b", "a\0"));
        Assert.Throws<MindoraValidationException>(() => files.ListAsync("b", "\ud800"));
        await Task.CompletedTask;
    }
}
