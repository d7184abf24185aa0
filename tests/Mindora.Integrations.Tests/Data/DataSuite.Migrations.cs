using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Data;

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

    [Fact]
    public async Task A_held_migration_lock_makes_another_process_wait_until_it_is_released()
    {
        await using var host = await DataHost.StartAsync(await NewTargetAsync(), migrate: false);
        var connection = host.Services.GetRequiredService<MindoraDataStore<NotesContext>>().Connection;
        await using var firstScope = host.Services.CreateAsyncScope();
        await using var secondScope = host.Services.CreateAsyncScope();
        var second = secondScope.ServiceProvider.GetRequiredService<NotesContext>();

        var held = await DataMigrationLock.AcquireAsync(firstScope.ServiceProvider.GetRequiredService<NotesContext>(), connection, CancellationToken.None);

        // While it is held, the other waits until it gives up (it can never be granted before).
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DataMigrationLock.AcquireAsync(second, connection, giveUp.Token));
        }

        await held.DisposeAsync();
        await (await DataMigrationLock.AcquireAsync(second, connection, CancellationToken.None)).DisposeAsync();

        // Released both times: a migration run finds the lock free.
        Assert.Equal([InitialMigration], await host.Host.MigrateMindoraDbAsync<NotesContext>());
    }
}
