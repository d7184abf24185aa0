using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// The files suite on the embedded provider (every instance opens the same directory, as the
/// processes of one machine do), plus what only the file system layout can show.
/// </summary>
public sealed class EmbeddedFilesTests(TempDirectory temp) : FilesSuite, IClassFixture<TempDirectory>
{
    private readonly string _directory = temp.NewStoreDirectory();

    [Fact]
    public async Task Key_that_looks_like_an_escape_is_stored_as_a_random_blob_inside_the_bucket_directory()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");

        await files.UploadAsync("b", "..%2f..%2fescape", new MemoryStream("x"u8.ToArray()));

        var blob = Assert.Single(Stores.BlobFiles(_directory), f => f.Contains(app, StringComparison.Ordinal));
        Assert.Equal(Path.Combine(_directory, "blobs", app, "b"), Path.GetDirectoryName(blob));
        Assert.DoesNotContain("escape", Path.GetFileName(blob), StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_and_bucket_names_with_dashes_do_not_collide()
    {
        // {app}-{bucket} would be "docs-a-b" for both pairs.
        var docs = Open("docs");
        var docsA = Open("docs-a");
        await docs.EnsureBucketAsync("a-b");
        await docsA.EnsureBucketAsync("b");
        await docs.UploadAsync("a-b", "k", new MemoryStream("docs"u8.ToArray()));

        Assert.Null(await docsA.GetInfoAsync("b", "k"));
        Assert.NotNull(await docs.GetInfoAsync("a-b", "k"));
    }

    private protected override IFilesProvider OpenProvider(string app, MindoraFilesOptions options) => Stores.Files(_directory, app, options);

    protected override Task AssertNothingLeftBehindAsync(string app)
    {
        var appBlobs = Path.Combine(_directory, "blobs", app);
        Assert.Empty(Directory.Exists(appBlobs) ? Directory.GetFiles(appBlobs, "*", SearchOption.AllDirectories) : []);
        return Task.CompletedTask;
    }
}
