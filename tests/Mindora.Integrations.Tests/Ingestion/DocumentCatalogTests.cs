using System.Text;
using Mindora.Integrations.Files;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Ingestion;

public sealed class DocumentCatalogTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Save_find_and_set_status_round_trip()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        var clock = new ManualTimeProvider(Start);
        var catalog = new DocumentCatalog(files, clock);
        await catalog.EnsureCreatedAsync();
        var record = NewRecord(DocumentCatalog.NewId());

        await catalog.SaveAsync(record);
        var found = await catalog.FindAsync(record.Id);
        clock.Advance(TimeSpan.FromMinutes(5));
        var failed = await catalog.SetStatusAsync(record.Id, DocumentStatus.Failed, error: "Broken.", title: "Better title");
        clock.Advance(TimeSpan.FromMinutes(1));
        var indexed = await catalog.SetStatusAsync(record.Id, DocumentStatus.Indexed);

        Assert.Equal(record, found);
        Assert.Equal(record with { Status = DocumentStatus.Failed, Error = "Broken.", Title = "Better title", UpdatedAt = Start.AddMinutes(5) }, failed);
        Assert.Equal(failed with { Status = DocumentStatus.Indexed, Error = null, UpdatedAt = Start.AddMinutes(6) }, indexed);
        Assert.Equal(indexed, await catalog.GetAsync(record.Id));
    }

    [Fact]
    public async Task Record_is_stored_as_readable_json_next_to_the_original_and_the_text()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        var catalog = new DocumentCatalog(files, TimeProvider.System);
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();

        await catalog.SaveAsync(NewRecord(id) with { Status = DocumentStatus.Processing });
        await catalog.StoreOriginalAsync(id, new MemoryStream("original"u8.ToArray()), "text/plain", maxBytes: 1024);
        await catalog.StoreTextAsync(id, "extracted ✓");

        var keys = new List<string>();
        await foreach (var info in files.ListAsync(DocumentCatalog.Bucket))
        {
            keys.Add(info.Key);
        }

        Assert.Equal([$"originals/{id}", $"records/{id}.json", $"text/{id}.txt"], keys);
        Assert.Equal($"originals/{id}", DocumentCatalog.OriginalKey(id));
        Assert.Equal($"text/{id}.txt", DocumentCatalog.TextKey(id));
        await using var json = await files.DownloadAsync(DocumentCatalog.Bucket, $"records/{id}.json");
        Assert.Equal("application/json", json.Info.ContentType);
        using var reader = new StreamReader(json.Content);
        var text = await reader.ReadToEndAsync();
        Assert.Contains("\"status\":\"processing\"", text, StringComparison.Ordinal);
        Assert.Contains("\"fileName\":\"notes.md\"", text, StringComparison.Ordinal);
        Assert.Equal("extracted ✓", await catalog.ReadTextAsync(id));
    }

    [Fact]
    public async Task Original_is_stored_with_its_content_type_and_the_size_limit_applies()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        var catalog = new DocumentCatalog(files, TimeProvider.System);
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();
        var bytes = Encoding.UTF8.GetBytes("# Title\nbody");

        var stored = await catalog.StoreOriginalAsync(id, new MemoryStream(bytes), "text/markdown", maxBytes: 100);
        await using (var original = await catalog.OpenOriginalAsync(id))
        {
            Assert.Equal("text/markdown", original.Info.ContentType);
        }

        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(Stores.Sha256Hex(bytes), stored.Sha256);
        var other = DocumentCatalog.NewId();
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => catalog.StoreOriginalAsync(other, new MemoryStream(new byte[101]), "text/plain", maxBytes: 100));
        Assert.False(await files.ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.OriginalKey(other)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("records/x")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("٠١٢٣٤٥٦٧٨٩abcdef0123456789abcdef")]
    public async Task Find_of_a_malformed_id_returns_null_and_never_touches_storage(string id)
    {
        using var inner = Stores.Files(temp.NewStoreDirectory());
        var files = new RecordingFiles(inner);
        var catalog = new DocumentCatalog(files, TimeProvider.System);

        Assert.False(DocumentCatalog.IsValidId(id));
        Assert.Null(await catalog.FindAsync(id));
        Assert.Null(await catalog.FindAsync(null!));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.GetAsync(id));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.SaveAsync(NewRecord(id)));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.DeleteAsync(id));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.OpenOriginalAsync(id));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.StoreTextAsync(id, "text"));
        Assert.Empty(files.Calls);
    }

    [Fact]
    public async Task Find_of_an_unknown_id_returns_null_and_get_throws_not_found()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        var catalog = new DocumentCatalog(files, TimeProvider.System);
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();

        Assert.Null(await catalog.FindAsync(id));
        var error = await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.GetAsync(id));
        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.SetStatusAsync(id, DocumentStatus.Indexed));
        Assert.Null(await catalog.FindAsync(id));
    }

    [Fact]
    public async Task Delete_removes_record_original_and_text()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        var catalog = new DocumentCatalog(files, TimeProvider.System);
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();
        var keep = DocumentCatalog.NewId();
        foreach (var doc in new[] { id, keep })
        {
            await catalog.StoreOriginalAsync(doc, new MemoryStream("bytes"u8.ToArray()), "text/plain", 1024);
            await catalog.SaveAsync(NewRecord(doc));
            await catalog.StoreTextAsync(doc, "text");
        }

        await catalog.DeleteAsync(id);

        Assert.Null(await catalog.FindAsync(id));
        Assert.False(await files.ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.OriginalKey(id)));
        Assert.False(await files.ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.TextKey(id)));
        Assert.False(await files.ExistsAsync(DocumentCatalog.Bucket, $"records/{id}.json"));
        Assert.NotNull(await catalog.FindAsync(keep));
        Assert.Equal("text", await catalog.ReadTextAsync(keep));
    }

    [Fact]
    public async Task Delete_of_a_partly_stored_document_removes_what_exists()
    {
        using var files = Stores.Files(temp.NewStoreDirectory());
        var catalog = new DocumentCatalog(files, TimeProvider.System);
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();
        await catalog.StoreOriginalAsync(id, new MemoryStream("bytes"u8.ToArray()), "text/plain", 1024);

        await catalog.DeleteAsync(id);

        Assert.False(await files.ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.OriginalKey(id)));
    }

    [Fact]
    public async Task Documents_of_one_app_are_invisible_to_another_app_on_the_same_directory()
    {
        var dir = temp.NewStoreDirectory();
        using var docsFiles = Stores.Files(dir, app: "docs");
        using var otherFiles = Stores.Files(dir, app: "other");
        var docs = new DocumentCatalog(docsFiles, TimeProvider.System);
        var other = new DocumentCatalog(otherFiles, TimeProvider.System);
        await docs.EnsureCreatedAsync();
        await other.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();

        await docs.SaveAsync(NewRecord(id));

        Assert.NotNull(await docs.FindAsync(id));
        Assert.Null(await other.FindAsync(id));
    }

    [Fact]
    public void New_ids_are_valid_and_distinct()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => DocumentCatalog.NewId()).ToList();

        Assert.All(ids, id => Assert.True(DocumentCatalog.IsValidId(id), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static DocumentRecord NewRecord(string id) =>
        new(id, "notes", "notes.md", "text/markdown", 12, new string('a', 64), DocumentStatus.Queued, null, Start, Start);
}
