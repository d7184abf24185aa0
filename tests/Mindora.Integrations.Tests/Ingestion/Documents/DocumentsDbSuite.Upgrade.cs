using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Migrations;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Ingestion.Documents;

public abstract partial class DocumentsDbSuite
{
    [Fact]
    public async Task A_database_made_by_the_first_migration_is_upgraded_in_place_at_start_and_keeps_its_rows()
    {
        var target = await NewTargetAsync();
        var id = Guid.CreateVersion7();
        var created = new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero);

        // A database as a build with only the first migration left it (a developer's data volume, a deployment).
        await using (var old = await StartAsync(target, ("Mindora:Data:MigrateOnStart", "false")))
        {
            await old.WithDocumentsDbAsync(async db =>
            {
                await db.GetService<IMigrator>().MigrateAsync(DocumentsMigrations.Initial);
                return await db.Database.ExecuteSqlRawAsync(InsertWithoutTheNewColumns(db, id, created));
            });
        }

        await using var host = await StartAsync(target);

        Assert.Equal(DocumentsMigrations.All, await host.WithDocumentsDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
        var kept = await host.WithDocumentsDbAsync(db => db.Documents.AsNoTracking().SingleAsync());
        Assert.Equal((id, "Old notes", "old.md", DocumentStatus.Indexed, (int?)12, created), (kept.Id, kept.Title, kept.FileName, kept.Status, kept.Characters, kept.CreatedAt));
        Assert.Equal(((string?)null, (int?)null, (string?)null), (kept.Tags, kept.Chunks, kept.Steps));

        // The new columns are there and take values.
        await host.WithDocumentsDbAsync(async db =>
        {
            var document = await db.Documents.SingleAsync();
            (document.Tags, document.Chunks, document.Steps) = ("field,birds", 3, "extract");
            return await db.SaveChangesAsync();
        });
        var updated = await host.WithDocumentsDbAsync(db => db.Documents.AsNoTracking().SingleAsync());
        Assert.Equal(("field,birds", (int?)3, "extract", "Old notes"), (updated.Tags, updated.Chunks, updated.Steps, updated.Title));
    }

    /// <summary>An INSERT of the first migration's columns only, its values as the provider's own literals.</summary>
    private static string InsertWithoutTheNewColumns(DocumentsDb db, Guid id, DateTimeOffset created)
    {
        var document = db.Model.FindEntityType(typeof(Document))!;
        var values = new (string Column, object? Value)[]
        {
            ("Id", id), ("Title", "Old notes"), ("FileName", "old.md"), ("ContentType", "text/markdown"), ("Size", 40L),
            ("Sha256", new string('d', 64)), ("Status", DocumentStatus.Indexed), ("Error", null), ("Characters", 12), ("Pages", null),
            ("IndexTaskId", null), ("CreatedAt", created), ("UpdatedAt", created),
        };
        var literals = values.Select(v => document.FindProperty(v.Column)!.GetRelationalTypeMapping().GenerateSqlLiteral(v.Value));
        return $"INSERT INTO documents ({string.Join(", ", values.Select(v => $"\"{v.Column}\""))}) VALUES ({string.Join(", ", literals)})";
    }
}
