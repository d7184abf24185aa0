using System.Text.Json;
using Mindora.Integrations.Data;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Every_change_is_audited_with_user_operation_key_and_masked_sensitive_values()
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartAsync(time: clock, user: new FixedUser("alice"));

        var note = await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "Plan", Slug = "plan", Secret = "hunter2" }));
        clock.Advance(TimeSpan.FromSeconds(1));
        await host.WithDbAsync(async db =>
        {
            var stored = await db.GetByIdAsync<Note>(note.Id);
            stored!.Title = "Plan B";
            stored.Secret = "hunter3";
            await db.SaveChangesAsync();
        });
        clock.Advance(TimeSpan.FromSeconds(1));
        await host.WithDbAsync(db => db.DeleteAsync<Note>(note.Id));

        var audit = await AuditAsync(host);
        Assert.Equal([AuditOperation.Insert, AuditOperation.Update, AuditOperation.Delete], audit.Select(a => a.Operation));
        Assert.All(audit, a => Assert.Equal(("alice", "Note", note.Id.ToString()), (a.UserName, a.EntityType, a.EntityKey)));
        Assert.All(audit, a => Assert.DoesNotContain("hunter", a.Changes, StringComparison.Ordinal));

        using var insert = JsonDocument.Parse(audit[0].Changes);
        Assert.Equal("Plan", insert.RootElement.GetProperty("Title").GetString());
        Assert.Equal(SensitiveAttribute.Mask, insert.RootElement.GetProperty("Secret").GetString());

        using var update = JsonDocument.Parse(audit[1].Changes);
        Assert.Equal(["Secret", "Title"], update.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(("Plan", "Plan B"), (update.RootElement.GetProperty("Title").GetProperty("old").GetString(), update.RootElement.GetProperty("Title").GetProperty("new").GetString()));
        Assert.Equal(SensitiveAttribute.Mask, update.RootElement.GetProperty("Secret").GetProperty("new").GetString());

        using var delete = JsonDocument.Parse(audit[2].Changes);
        Assert.Equal("Plan B", delete.RootElement.GetProperty("Title").GetString());
        Assert.Equal(audit[0].OccurredAt.AddSeconds(2), audit[2].OccurredAt);
    }

    [Fact]
    public async Task Audit_rows_commit_and_roll_back_with_the_change_they_describe()
    {
        await using var host = await StartAsync();
        var kept = await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "a", Slug = "taken" }));

        // A save that fails leaves no audit row behind, not even for the next save of the same context.
        var next = await host.WithDbAsync(async db =>
        {
            await Assert.ThrowsAsync<MindoraConflictException>(() => db.CreateAsync(new Note { Title = "b", Slug = "taken" }));
            return await db.CreateAsync(new Note { Title = "c", Slug = "c" });
        });

        // A transaction rolled back after its save takes the audit row with it.
        await host.WithDbAsync(db => Assert.ThrowsAsync<InvalidOperationException>(() => db.ExecuteInTransactionAsync(async ct =>
        {
            await db.CreateAsync(new Note { Title = "d", Slug = "d" }, ct);
            throw new InvalidOperationException("abort after the save");
        })));

        Assert.Equal(["a", "c"], await TitlesAsync(host));
        var audit = await AuditAsync(host);
        Assert.Equal([kept.Id.ToString(), next.Id.ToString()], audit.Select(a => a.EntityKey).Order());

        // No HTTP request and no user accessor of the app's own: the change is the system's.
        Assert.All(audit, a => Assert.Equal("system", a.UserName));
    }
}
