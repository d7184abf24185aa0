using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;
using Mindora.Integrations.Files;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Ingestion;

/// <summary>The catalog on the embedded stores: records in the documents database, bytes in the documents bucket.</summary>
public sealed class DocumentCatalogTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Save_find_and_set_status_round_trip()
    {
        var clock = new ManualTimeProvider(Start);
        await using var host = await StartAsync(time: clock);
        var catalog = host.Get<DocumentCatalog>();
        var record = NewRecord(DocumentCatalog.NewId());

        var saved = await catalog.SaveAsync(record);
        var found = await catalog.FindAsync(record.Id);
        clock.Advance(TimeSpan.FromMinutes(5));
        var failed = await catalog.SetStatusAsync(record.Id, DocumentStatus.Failed, error: "Broken.", title: "Better title");
        clock.Advance(TimeSpan.FromMinutes(1));
        var indexed = await catalog.SetStatusAsync(record.Id, DocumentStatus.Indexed);

        Assert.Equal(record, saved);
        Assert.Equal(record, found);
        Assert.Equal(record with { Status = DocumentStatus.Failed, Error = "Broken.", Title = "Better title", UpdatedAt = Start.AddMinutes(5) }, failed);
        Assert.Equal(failed with { Status = DocumentStatus.Indexed, Error = null, UpdatedAt = Start.AddMinutes(6) }, indexed);
        Assert.Equal(indexed, await catalog.GetAsync(record.Id));
    }

    [Fact]
    public async Task Record_is_a_row_of_the_documents_table_and_only_the_bytes_are_objects()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();

        await catalog.SaveAsync(NewRecord(id) with { Status = DocumentStatus.Processing });
        await catalog.StoreOriginalAsync(id, new MemoryStream("original"u8.ToArray()), "text/plain", maxBytes: 1024);
        await catalog.StoreTextAsync(id, "extracted ✓");

        var keys = new List<string>();
        await foreach (var info in host.Get<IMindoraFiles>().ListAsync(DocumentCatalog.Bucket))
        {
            keys.Add(info.Key);
        }

        Assert.Equal([$"originals/{id}", $"text/{id}.txt"], keys);
        Assert.Equal($"originals/{id}", DocumentCatalog.OriginalKey(id));
        Assert.Equal($"text/{id}.txt", DocumentCatalog.TextKey(id));
        var row = await host.WithDocumentsDbAsync(db => db.Documents.AsNoTracking().SingleAsync());
        Assert.Equal(id, row.Id.ToString("N"));
        Assert.Equal(("notes.md", DocumentStatus.Processing), (row.FileName, row.Status));
        Assert.Equal("extracted ✓", await catalog.ReadTextAsync(id));
    }

    [Fact]
    public async Task Update_writes_only_what_changed_and_a_change_that_changes_nothing_writes_nothing()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        var id = DocumentCatalog.NewId();
        await catalog.SaveAsync(NewRecord(id));

        var updated = await catalog.UpdateAsync(id, r => r with { Characters = 1200, Pages = 3, IndexTaskId = "task-1" });
        var unchanged = await catalog.UpdateAsync(id, r => r with { Pages = 3 });

        Assert.Equal((1200, 3, "task-1"), (updated.Characters, updated.Pages, updated.IndexTaskId));
        Assert.Equal(updated, unchanged);
        var history = await catalog.HistoryAsync(id);
        Assert.Equal(2, history.Count);
        Assert.Equal("""{"Characters":{"old":null,"new":1200},"IndexTaskId":{"old":null,"new":"task-1"},"Pages":{"old":null,"new":3}}""", history[1].Changes);
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.UpdateAsync(id, r => r with { Id = DocumentCatalog.NewId() }));
        Assert.Equal(updated, await catalog.GetAsync(id));
    }

    [Fact]
    public async Task Long_title_is_shortened_and_values_longer_than_their_columns_are_refused_before_the_database()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        var id = DocumentCatalog.NewId();

        var saved = await catalog.SaveAsync(NewRecord(id) with { Title = new string('t', 498) + "\U0001F600" + "tail" });
        var tooLong = DocumentCatalog.NewId();
        var error = await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.SaveAsync(NewRecord(tooLong) with { FileName = new string('n', 256) }));

        Assert.Equal(new string('t', 498) + "…", saved.Title);
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
        Assert.Null(await catalog.FindAsync(tooLong));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.UpdateAsync(id, r => r with { Sha256 = new string('a', 65) }));
    }

    [Fact]
    public async Task Original_is_stored_with_its_content_type_and_the_size_limit_applies()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
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
        Assert.False(await host.Get<IMindoraFiles>().ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.OriginalKey(other)));
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
        await using var host = await StartAsync();
        var files = new RecordingFiles(host.Get<IMindoraFiles>());
        var catalog = new DocumentCatalog(files, host.Get<IServiceScopeFactory>());

        Assert.False(DocumentCatalog.IsValidId(id));
        Assert.Null(await catalog.FindAsync(id));
        Assert.Null(await catalog.FindAsync(null!));
        Assert.Empty(await catalog.HistoryAsync(id));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.GetAsync(id));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.SetStatusAsync(id, DocumentStatus.Indexed));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.SaveAsync(NewRecord(id)));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.DeleteAsync(id));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.OpenOriginalAsync(id));
        await Assert.ThrowsAsync<MindoraValidationException>(() => catalog.StoreTextAsync(id, "text"));
        Assert.Empty(files.Calls);
        Assert.Equal(0, await host.WithDocumentsDbAsync(db => db.Documents.CountAsync()));
        Assert.Equal(0, await host.WithDocumentsDbAsync(db => db.AuditLog.CountAsync()));
    }

    [Fact]
    public async Task Find_of_an_unknown_id_returns_null_and_get_throws_not_found()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        var id = DocumentCatalog.NewId();

        Assert.Null(await catalog.FindAsync(id));
        var error = await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.GetAsync(id));
        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => catalog.SetStatusAsync(id, DocumentStatus.Indexed));
        Assert.Null(await catalog.FindAsync(id));
        Assert.Empty(await catalog.HistoryAsync(id));
    }

    [Fact]
    public async Task Delete_removes_row_original_and_text_and_keeps_the_audit_trail()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        var files = host.Get<IMindoraFiles>();
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
        Assert.Equal([AuditOperation.Insert, AuditOperation.Delete], (await catalog.HistoryAsync(id)).Select(a => a.Operation));
        Assert.NotNull(await catalog.FindAsync(keep));
        Assert.Equal("text", await catalog.ReadTextAsync(keep));
    }

    [Fact]
    public async Task Delete_of_a_partly_stored_document_removes_what_exists()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();
        await catalog.StoreOriginalAsync(id, new MemoryStream("bytes"u8.ToArray()), "text/plain", 1024);

        await catalog.DeleteAsync(id);

        Assert.False(await host.Get<IMindoraFiles>().ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.OriginalKey(id)));
        Assert.Empty(await catalog.HistoryAsync(id));
    }

    [Fact]
    public async Task Documents_of_one_app_are_invisible_to_another_app_on_the_same_directory()
    {
        var dir = temp.NewStoreDirectory();
        await using var docs = await StartAsync(dir, app: "docs");
        await using var other = await StartAsync(dir, app: "other");
        var id = DocumentCatalog.NewId();

        await docs.Get<DocumentCatalog>().SaveAsync(NewRecord(id));

        Assert.NotNull(await docs.Get<DocumentCatalog>().FindAsync(id));
        Assert.Null(await other.Get<DocumentCatalog>().FindAsync(id));
        Assert.True(File.Exists(Path.Combine(dir, "db-docs.sqlite")));
        Assert.True(File.Exists(Path.Combine(dir, "db-other.sqlite")));
    }

    [Fact]
    public void New_ids_are_valid_distinct_and_time_ordered_guids()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => DocumentCatalog.NewId()).ToList();

        Assert.All(ids, id => Assert.True(DocumentCatalog.IsValidId(id), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, Guid.ParseExact(id, "N").Version));
    }

    [Fact]
    public async Task Concurrent_changes_through_one_catalog_each_get_their_own_unit_of_work()
    {
        await using var host = await StartAsync();
        var catalog = host.Get<DocumentCatalog>();
        var ids = Enumerable.Range(0, 20).Select(_ => DocumentCatalog.NewId()).ToList();

        await Task.WhenAll(ids.Select(id => catalog.SaveAsync(NewRecord(id))));
        await Task.WhenAll(ids.Select(id => catalog.SetStatusAsync(id, DocumentStatus.Indexed)));

        Assert.All(await Task.WhenAll(ids.Select(id => catalog.GetAsync(id))), r => Assert.Equal(DocumentStatus.Indexed, r.Status));
        Assert.Equal(40, await host.WithDocumentsDbAsync(db => db.AuditLog.CountAsync()));
    }

    private async Task<RunningHost> StartAsync(string? dir = null, string app = WorkerHosts.App, TimeProvider? time = null)
    {
        var builder = WorkerHosts.CreateBuilder(dir ?? temp.NewStoreDirectory(), app, null);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddMindoraDocuments();
        return await builder.StartAsync();
    }

    private static DocumentRecord NewRecord(string id) =>
        new(id, "notes", "notes.md", "text/markdown", 12, new string('a', 64), DocumentStatus.Queued, null, Start, Start);
}
