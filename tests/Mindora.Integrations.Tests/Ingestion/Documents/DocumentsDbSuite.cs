using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Migrations;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Ingestion.Documents;

/// <summary>Where one test's documents live: the app, the directory of its embedded stores, and its database.</summary>
public sealed record DocumentsTarget(string App, string Directory, string Database);

/// <summary>
/// The documents database through the Data capability, written once and run on SQLite and on
/// the real PostgreSQL: records and their audit rows, migrations at start, and the worker
/// writing through the same capability. Every test uses its own app.
/// </summary>
public abstract partial class DocumentsDbSuite
{
    /// <summary>A fresh app, a directory for its other stores, and its database connection string.</summary>
    protected abstract Task<DocumentsTarget> NewTargetAsync();

    [Fact]
    public async Task Records_and_an_audit_row_per_change_are_written_through_the_data_capability()
    {
        var target = await NewTargetAsync();
        await using var host = await StartAsync(target);
        var catalog = host.Get<DocumentCatalog>();
        await catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();
        var now = DateTimeOffset.UtcNow;

        await catalog.SaveAsync(new DocumentRecord(id, "plan", "plan.md", "text/markdown", 42, new string('b', 64), DocumentStatus.Queued, null, now, now));
        await catalog.SetStatusAsync(id, DocumentStatus.Processing);
        await catalog.UpdateAsync(id, r => r with { Title = "The plan", Characters = 40 });
        await catalog.SetStatusAsync(id, DocumentStatus.Failed, error: "Broken.");

        var row = await host.WithDocumentsDbAsync(db => db.Documents.AsNoTracking().SingleAsync());
        Assert.Equal((id, "The plan", DocumentStatus.Failed, "Broken.", (int?)40), (row.Id.ToString("N"), row.Title, row.Status, row.Error, row.Characters));
        Assert.True(row.UpdatedAt >= row.CreatedAt);

        await catalog.DeleteAsync(id);
        var audit = await host.WithDocumentsDbAsync(db => db.AuditLog.AsNoTracking().OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditOperation.Insert, AuditOperation.Update, AuditOperation.Update, AuditOperation.Update, AuditOperation.Delete], audit.Select(a => a.Operation));
        Assert.All(audit, a => Assert.Equal(("system", "Document", Guid.ParseExact(id, "N").ToString()), (a.UserName, a.EntityType, a.EntityKey)));
        Assert.Equal(audit, await catalog.HistoryAsync(id), new AuditRowComparer());
        using var insert = JsonDocument.Parse(audit[0].Changes);
        Assert.Equal("plan.md", insert.RootElement.GetProperty("FileName").GetString());
        using var failed = JsonDocument.Parse(audit[3].Changes);
        Assert.Equal(["Error", "Status"], failed.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Broken.", failed.RootElement.GetProperty("Error").GetProperty("new").GetString());
        Assert.Equal(0, await host.WithDocumentsDbAsync(db => db.Documents.CountAsync()));
    }

    [Fact]
    public async Task Migrations_run_at_start_and_applying_them_again_is_a_no_op()
    {
        var target = await NewTargetAsync();
        await using var api = await StartAsync(target);

        Assert.Empty(await api.Services.MigrateMindoraDbAsync<DocumentsDb>());
        await using var worker = await StartAsync(target);
        Assert.Empty(await worker.Services.MigrateMindoraDbAsync<DocumentsDb>());

        Assert.Equal(DocumentsMigrations.All, await worker.WithDocumentsDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
        Assert.False(await worker.WithDocumentsDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges())));
    }

    [Fact]
    public async Task Hosts_starting_together_on_a_new_database_apply_the_migrations_once_and_all_work()
    {
        var target = await NewTargetAsync();

        // An API and workers starting at the same moment, with two migrations pending: the migration lock lets one apply them.
        var hosts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => StartAsync(target))));
        try
        {
            var ids = await Task.WhenAll(hosts.Select(async host =>
            {
                var id = DocumentCatalog.NewId();
                var now = DateTimeOffset.UtcNow;
                await host.Get<DocumentCatalog>().SaveAsync(new DocumentRecord(id, "t", "t.txt", "text/plain", 1, new string('c', 64), DocumentStatus.Queued, null, now, now));
                return id;
            }));

            Assert.Equal(DocumentsMigrations.All, await hosts[0].WithDocumentsDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
            Assert.Equal(ids.Order(StringComparer.Ordinal), (await hosts[3].WithDocumentsDbAsync(db => db.Documents.Select(d => d.Id).ToListAsync())).Select(g => g.ToString("N")).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Migrate_on_start_turned_off_leaves_the_migrations_pending()
    {
        var target = await NewTargetAsync();
        await using var host = await StartAsync(target, ("Mindora:Data:MigrateOnStart", "false"));

        Assert.Equal(DocumentsMigrations.All, await host.WithDocumentsDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));
    }

    [Fact]
    public async Task Worker_processes_a_document_writing_its_record_through_the_same_capability()
    {
        var target = await NewTargetAsync();
        await using var api = await DocumentUploads.StartAsync(target.Directory, app: target.App, database: target.Database);
        var builder = WorkerHosts.CreateBuilder(target.Directory, target.App, null, DocumentUploads.Settings(target.Database));
        builder.AddMindoraWorker().AddDocumentIngestion();
        await using var worker = await builder.StartAsync();

        var (record, _) = await api.UploadAsync("field.md", Encoding.UTF8.GetBytes("# Field notes\n\nThe kestrels nested early."));
        var indexed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Indexed, indexed.Status);
        Assert.Equal("Field notes", indexed.Title);
        Assert.Equal("Field notes\n\nThe kestrels nested early.".Length, indexed.Characters);
        var index = Assert.Single(await api.TasksNamedAsync(IngestionTaskNames.IndexDocument));
        Assert.Equal(index.Id, indexed.IndexTaskId);
        var history = await worker.Get<DocumentCatalog>().HistoryAsync(record.Id);
        Assert.Equal([AuditOperation.Insert, .. Enumerable.Repeat(AuditOperation.Update, 7)], history.Select(h => h.Operation));
    }

    private protected static async Task<RunningHost> StartAsync(DocumentsTarget target, params (string Key, string Value)[] settings)
    {
        var builder = WorkerHosts.CreateBuilder(target.Directory, target.App, null, [("ConnectionStrings:db", target.Database), .. settings]);
        builder.AddMindoraDocuments();
        return await builder.StartAsync();
    }

    private sealed class AuditRowComparer : IEqualityComparer<AuditLogEntry>
    {
        public bool Equals(AuditLogEntry? x, AuditLogEntry? y) => (x?.Id, x?.Operation, x?.Changes) == (y?.Id, y?.Operation, y?.Changes);

        public int GetHashCode(AuditLogEntry obj) => obj.Id.GetHashCode();
    }
}
