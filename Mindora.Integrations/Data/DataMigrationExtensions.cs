using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mindora.Integrations;
using Mindora.Integrations.Data;

namespace Microsoft.Extensions.Hosting;

/// <summary>Applies a Mindora DbContext's migrations when the app starts.</summary>
public static class DataMigrationExtensions
{
    /// <summary>
    /// When <c>Mindora:Data:MigrateOnStart</c> is on, applies <typeparamref name="TContext"/>'s
    /// pending migrations (on PostgreSQL in the app's schema, with the history table
    /// <c>__EFMigrationsHistory</c> there) and returns their ids; otherwise only logs what is
    /// pending and returns nothing. Running it again applies nothing. Processes starting together
    /// (an API and its workers) take turns under a lock held from reading what is pending to the
    /// last migration applied, so each migration is applied once, by one of them, and the others
    /// find nothing left.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">The context was not added with <c>AddMindoraDbContext</c>.</exception>
    public static async Task<IReadOnlyList<string>> MigrateMindoraDbAsync<TContext>(this IServiceProvider services, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetService<MindoraDataStore<TContext>>()
            ?? throw new MindoraConfigurationException($"{typeof(TContext).Name} was not added with builder.AddMindoraDbContext<{typeof(TContext).Name}>(…).");
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Mindora.Data") ?? NullLogger.Instance;
        var connection = store.Connection;
        var target = connection.Schema ?? Path.GetFileName(connection.File)!;
        var contextName = typeof(TContext).Name;

        return await store.Telemetry.Instrumentation.RunAsync<IReadOnlyList<string>>("migrate", connection.App, target, async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            if (!store.Options.MigrateOnStart)
            {
                var skipped = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (skipped.Count > 0)
                {
                    DataLog.MigrationsSkipped(logger, contextName, skipped.Count, string.Join(", ", skipped));
                }

                return [];
            }

            // Read under the lock: what another process applied meanwhile is not pending any more.
            // The lock has a context (so a connection) of its own.
            await using var lockScope = services.CreateAsyncScope();
            await using var migrationLock = await DataMigrationLock.AcquireAsync(lockScope.ServiceProvider.GetRequiredService<TContext>(), connection, cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count == 0)
            {
                DataLog.MigrationsUpToDate(logger, contextName, connection.Provider, target);
                return [];
            }

            await db.Database.MigrateAsync(cancellationToken);
            DataLog.MigrationsApplied(logger, pending.Count, contextName, connection.Provider, target, string.Join(", ", pending));
            return pending;
        });
    }

    /// <inheritdoc cref="MigrateMindoraDbAsync{TContext}(IServiceProvider, CancellationToken)"/>
    public static Task<IReadOnlyList<string>> MigrateMindoraDbAsync<TContext>(this IHost app, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.MigrateMindoraDbAsync<TContext>(cancellationToken);
    }
}
