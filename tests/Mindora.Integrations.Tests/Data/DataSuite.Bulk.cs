using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Bulk_insert_writes_every_row_with_keys_timestamps_and_audit_rows()
    {
        await using var host = await StartAsync(user: new FixedUser("importer"));
        var notes = Enumerable.Range(0, 1500).Select(i => new Note { Title = $"bulk {i}", Slug = $"bulk-{i}", Secret = $"secret-{i}", Priority = i % 7 }).ToList();

        Assert.Equal(1500, await host.WithDbAsync(db => db.BulkInsertAsync(notes)));

        Assert.All(notes, n => Assert.Equal(7, n.Id.Version));
        var (count, prioritySum, created) = await host.WithDbAsync(async db => (
            await db.Notes.CountAsync(),
            await db.Notes.SumAsync(n => n.Priority),
            await db.Notes.AsNoTracking().Where(n => n.Slug == "bulk-1499").Select(n => n.CreatedAt).SingleAsync()));
        Assert.Equal((1500, notes.Sum(n => n.Priority)), (count, prioritySum));
        Assert.NotEqual(default, created);

        var audit = await AuditAsync(host);
        Assert.Equal(1500, audit.Count);
        Assert.All(audit, a => Assert.Equal(("importer", AuditOperation.Insert, "Note"), (a.UserName, a.Operation, a.EntityType)));
        Assert.Equal(notes.Select(n => n.Id.ToString()).Order(), audit.Select(a => a.EntityKey).Order());
        Assert.DoesNotContain(audit, a => a.Changes.Contains("secret-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulk_insert_with_one_duplicate_key_writes_nothing()
    {
        await using var host = await StartAsync();
        await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "existing", Slug = "taken" }));
        var notes = Enumerable.Range(0, 1000).Select(i => new Note { Title = $"bulk {i}", Slug = i == 700 ? "taken" : $"bulk-{i}" }).ToList();

        var conflict = await Assert.ThrowsAsync<MindoraConflictException>(() => host.WithDbAsync(db => db.BulkInsertAsync(notes)));

        Assert.Contains(SlugConstraint, conflict.Message, StringComparison.Ordinal);
        Assert.Equal(["existing"], await TitlesAsync(host));
        Assert.Single(await AuditAsync(host));
    }
}
