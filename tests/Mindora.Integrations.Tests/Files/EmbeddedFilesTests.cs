using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Mindora.Integrations.Files;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// The files suite on the embedded provider (every instance opens the same directory, as the
/// processes of one machine do), plus what only the file system layout can show.
/// </summary>
public sealed partial class EmbeddedFilesTests : FilesSuite, IClassFixture<TempDirectory>
{
    private const string SigningKey = "test-signing-key-of-at-least-32-characters";
    private readonly string _directory;
    private readonly EmbeddedFilesWebApps _web;

    public EmbeddedFilesTests(TempDirectory temp)
    {
        _directory = temp.NewStoreDirectory();
        _web = new EmbeddedFilesWebApps(_directory, SigningKey);
    }

    [Fact]
    public async Task A_signed_url_of_one_app_is_refused_by_another_apps_endpoint()
    {
        var owner = NewApp();
        var intruder = NewApp();
        var files = Open(owner);
        await files.EnsureBucketAsync("b");
        await Open(intruder).EnsureBucketAsync("b");
        await files.UploadAsync("b", "secret.txt", new MemoryStream("owner's secret"u8.ToArray()));
        var url = await files.GetSignedUrlAsync("b", "secret.txt");

        using var refused = await _web.SendAsync(intruder, HttpMethod.Get, url, null);
        using var served = await _web.SendAsync(owner, HttpMethod.Get, url, null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(await refused.Content.ReadAsByteArrayAsync());
        Assert.Equal("owner's secret", await served.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signed_get_honours_http_ranges_and_forbids_sniffing()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "page.html", new MemoryStream("<script>alert(1)</script>"u8.ToArray()), new UploadOptions { ContentType = "text/html" });
        var url = await files.GetSignedUrlAsync("b", "page.html");

        using var whole = await _web.SendAsync(app, HttpMethod.Get, url, null);
        var ranged = await SendRangeAsync(app, url, 8, 13);

        Assert.Equal("nosniff", whole.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox", whole.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal((HttpStatusCode.PartialContent, "alert("), ranged);
    }

    [Fact]
    public async Task Without_a_signing_key_signed_urls_are_a_configuration_error()
    {
        using var files = Stores.Files(_directory, NewApp());
        await files.EnsureBucketAsync("b");

        var error = await Assert.ThrowsAsync<MindoraConfigurationException>(() => files.GetSignedUrlAsync("b", "k"));

        Assert.Contains("SigningKey", error.Message, StringComparison.Ordinal);
        Assert.Throws<MindoraConfigurationException>(() => Stores.Files(_directory, NewApp(), new MindoraFilesOptions { SigningKey = "short" }));
    }

    [Fact]
    public async Task A_crash_mid_upload_leaves_only_a_temporary_file_that_is_never_visible()
    {
        // What a killed process leaves: a ".tmp" file in the bucket directory and no catalog row.
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        var bucketDirectory = Path.Combine(_directory, "blobs", app, "b");
        await File.WriteAllBytesAsync(Path.Combine(bucketDirectory, Guid.NewGuid().ToString("N") + ".tmp"), new byte[1000]);

        Assert.Empty(await ToListAsync(files.ListAsync("b")));
        Assert.Empty(await files.ListVersionsAsync("b", "k"));
        await files.UploadAsync("b", "k", new MemoryStream([1, 2, 3]));
        Assert.Equal([1, 2, 3], await ReadAllAsync(await files.DownloadAsync("b", "k")));
    }

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
    public async Task No_accepted_key_resolves_outside_the_apps_bucket_directory()
    {
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        string[] keys = ["..%2f..%2fx", "%2e%2e/%2e%2e/x", "\u2024\u2024/x", "\uFF0E\uFF0E\uFF0Fx", "C:/x", "~/x", "a/./b".Replace("./", "%2E/", StringComparison.Ordinal), new string('z', 1024)];
        var before = Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).ToHashSet();

        foreach (var key in keys)
        {
            await files.UploadAsync("b", key, new MemoryStream([1]));
        }

        var added = Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Where(f => !before.Contains(f) && !f.Contains("files.db", StringComparison.Ordinal)).ToList();
        Assert.Equal(keys.Length, added.Count);
        Assert.All(added, f => Assert.Equal(Path.Combine(_directory, "blobs", app, "b"), Path.GetDirectoryName(f)));
        Assert.Equal(keys.Order(StringComparer.Ordinal), (await ToListAsync(files.ListAsync("b"))).Select(i => i.Key));
    }

    [Fact]
    public async Task Replacing_an_unversioned_object_deletes_the_old_blob_after_the_upload_returns()
    {
        var app = NewApp();
        var files = (EmbeddedFilesProvider)Open(app, new MindoraFilesOptions { Versioning = false });
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "k", new MemoryStream([1, 2, 3]));
        var first = Assert.Single(AppBlobs(app));

        await files.UploadAsync("b", "k", new MemoryStream([4, 5]));
        await files.OrphansReapedAsync();

        var second = Assert.Single(AppBlobs(app));
        Assert.NotEqual(first, second);
        Assert.Equal([4, 5], await ReadAllAsync(await files.DownloadAsync("b", "k")));
        Assert.Empty(await OrphanRecordsAsync(app));
    }

    [Fact]
    public async Task An_orphan_recorded_before_a_crash_is_deleted_by_the_next_provider_and_a_named_blob_is_kept()
    {
        // What a process killed between the commit and the unlink leaves: the orphan's record and its file.
        var app = NewApp();
        var files = Open(app);
        await files.EnsureBucketAsync("b");
        await files.UploadAsync("b", "kept", new MemoryStream([1]));
        var kept = Path.GetFileName(Assert.Single(AppBlobs(app)));
        var orphan = Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(Path.Combine(_directory, "blobs", app, "b", orphan), new byte[100]);
        await ExecuteAsync($"INSERT INTO orphans (app, bucket, blob) VALUES ('{app}', 'b', '{orphan}'), ('{app}', 'b', '{kept}')");

        var next = (EmbeddedFilesProvider)Open(app);
        Assert.True(await next.ExistsAsync("b", "kept"));
        await next.OrphansReapedAsync();

        Assert.Equal([kept], AppBlobs(app).Select(Path.GetFileName));
        Assert.Equal([1], await ReadAllAsync(await next.DownloadAsync("b", "kept")));
        Assert.Empty(await OrphanRecordsAsync(app));
    }

    [Fact]
    public async Task Deleting_a_version_for_good_deletes_its_blob_once_no_version_names_it()
    {
        var app = NewApp();
        var files = (EmbeddedFilesProvider)Open(app);
        await files.EnsureBucketAsync("b");
        var first = await files.UploadAsync("b", "k", new MemoryStream([1]));
        await files.RestoreVersionAsync("b", "k", first.VersionId); // shares the first blob
        await files.UploadAsync("b", "k", new MemoryStream([2, 2]));

        Assert.True(await files.DeleteVersionAsync("b", "k", first.VersionId));
        await files.OrphansReapedAsync();
        Assert.Equal(2, AppBlobs(app).Length);

        var restored = (await files.ListVersionsAsync("b", "k")).Single(v => v.VersionId != first.VersionId && v.Info!.Size == 1);
        Assert.True(await files.DeleteVersionAsync("b", "k", restored.VersionId));
        await files.OrphansReapedAsync();
        Assert.Single(AppBlobs(app));
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

    public override void Dispose()
    {
        _web.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    protected override Task<HttpResponseMessage> SendSignedAsync(string app, HttpMethod method, Uri url, HttpContent? content = null) =>
        _web.SendAsync(app, method, url, content);

    private protected override IFilesProvider OpenProvider(string app, MindoraFilesOptions options)
    {
        options.SigningKey ??= SigningKey;
        return Stores.Files(_directory, app, options);
    }

    private async Task<(HttpStatusCode, string)> SendRangeAsync(string app, Uri url, long from, long to)
    {
        using var response = await _web.SendAsync(app, HttpMethod.Get, url, null, r => r.Headers.Range = new RangeHeaderValue(from, to));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private string[] AppBlobs(string app) => Directory.GetFiles(Path.Combine(_directory, "blobs", app), "*", SearchOption.AllDirectories);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "files.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> OrphanRecordsAsync(string app)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "files.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT blob FROM orphans WHERE app = $app";
        command.Parameters.AddWithValue("$app", app);
        var blobs = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            blobs.Add(reader.GetString(0));
        }

        return blobs;
    }

    protected override Task AssertNothingLeftBehindAsync(string app)
    {
        var appBlobs = Path.Combine(_directory, "blobs", app);
        Assert.Empty(Directory.Exists(appBlobs) ? Directory.GetFiles(appBlobs, "*", SearchOption.AllDirectories) : []);
        return Task.CompletedTask;
    }
}
