using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

public abstract partial class FilesSuite
{
    [SuiteFact]
    public async Task List_by_prefix_pages_through_more_than_500_objects_in_ordinal_order()
    {
        var files = await OpenWithBucketAsync();
        var inPrefix = Enumerable.Range(0, 620).Select(i => $"in/{i:x4}-{(i % 3 == 0 ? "A" : "a")}.txt").ToList();
        var outside = new[] { "im/x", "in", "io/x", "in0", "a", "z/in/x" };
        await Parallel.ForEachAsync(inPrefix.Concat(outside), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (key, ct) =>
            await files.UploadAsync("b", key, new MemoryStream([1]), cancellationToken: ct));

        var listed = (await ToListAsync(files.ListAsync("b", "in/"))).Select(i => i.Key);

        Assert.Equal(inPrefix.Order(StringComparer.Ordinal), listed);
    }

    [SuiteFact]
    public async Task List_without_prefix_returns_every_key_once_in_order()
    {
        var files = await OpenWithBucketAsync();
        string[] keys = ["b", "a/2", "a/10", "A", "é", "z", "a/1"];
        foreach (var key in keys)
        {
            await files.UploadAsync("b", key, new MemoryStream([1]));
        }

        var listed = (await ToListAsync(files.ListAsync("b"))).Select(i => i.Key);

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed);
    }

    [SuiteFact]
    public async Task Prefix_matching_nothing_lists_nothing()
    {
        var files = await OpenWithBucketAsync();
        await files.UploadAsync("b", "abc", new MemoryStream([1]));

        Assert.Empty(await ToListAsync(files.ListAsync("b", "abd")));
    }

    [SuiteFact]
    public void Invalid_prefix_is_rejected()
    {
        var files = Open(NewApp());
        Assert.Throws<MindoraValidationException>(() => files.ListAsync("b", "a\0"));
        Assert.Throws<MindoraValidationException>(() => files.ListAsync("b", "\ud800"));
    }
}
