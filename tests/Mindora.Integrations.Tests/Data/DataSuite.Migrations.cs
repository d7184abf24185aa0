using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Migrations_are_applied_once_and_later_runs_apply_nothing()
    {
        var target = await NewTargetAsync();
        await using var api = await DataHost.StartAsync(target, migrate: false);

        Assert.Equal([InitialMigration], await api.Host.MigrateMindoraDbAsync<NotesContext>());
        Assert.Empty(await api.Host.MigrateMindoraDbAsync<NotesContext>());

        // A second process of the same app (a worker) finds nothing left to do.
        await using var worker = await DataHost.StartAsync(target, migrate: false);
        Assert.Empty(await worker.Host.MigrateMindoraDbAsync<NotesContext>());
        Assert.Equal([InitialMigration], await worker.WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
    }

    [Fact]
    public async Task Pending_migrations_are_left_alone_when_migrate_on_start_is_off()
    {
        await using var host = await DataHost.StartAsync(await NewTargetAsync(), o => o.MigrateOnStart = false, migrate: false);

        Assert.Empty(await host.Host.MigrateMindoraDbAsync<NotesContext>());
        Assert.Equal([InitialMigration], await host.WithDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));
    }
}
