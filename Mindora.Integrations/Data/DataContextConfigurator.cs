using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Data;

/// <summary>
/// The provider set-up a Mindora DbContext gets, the same at run time and at design time
/// (<c>dotnet ef</c>), so migrations are made from the model the app runs with.
/// </summary>
internal static class DataContextConfigurator
{
    /// <param name="builder">The context's options.</param>
    /// <param name="connection">Where the data lives.</param>
    /// <param name="options">Timeouts, retries, migrations assembly.</param>
    /// <param name="postgres">The app's Npgsql data source (the pool); null at design time, where a connection string will do.</param>
    public static void Configure(DbContextOptionsBuilder builder, DataConnection connection, MindoraDataOptions options, DbDataSource? postgres)
    {
        var timeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        if (connection.Provider == MindoraDataProvider.PostgreSql)
        {
            void Npgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql)
            {
                npgsql.CommandTimeout(timeout);

                // Qualified, so the history is the app's even if the role's search path is changed.
                npgsql.MigrationsHistoryTable(HistoryRepository.DefaultTableName, connection.Schema);
                if (options.MaxRetryCount > 0)
                {
                    npgsql.EnableRetryOnFailure(options.MaxRetryCount, options.MaxRetryDelay, null);
                }

                if (options.MigrationsAssembly is { } assembly)
                {
                    npgsql.MigrationsAssembly(assembly);
                }
            }

            if (postgres is not null)
            {
                builder.UseNpgsql(postgres, Npgsql);
            }
            else
            {
                builder.UseNpgsql(connection.ConnectionString(options), Npgsql);
            }
        }
        else
        {
            builder.UseSqlite(connection.ConnectionString(options), sqlite =>
            {
                sqlite.CommandTimeout(timeout);
                if (options.MaxRetryCount > 0)
                {
                    sqlite.ExecutionStrategy(dependencies => new SqliteRetryingExecutionStrategy(dependencies, options.MaxRetryCount, options.MaxRetryDelay));
                }

                if (options.MigrationsAssembly is { } assembly)
                {
                    sqlite.MigrationsAssembly(assembly);
                }
            });
        }

        builder.ReplaceService<IModelCustomizer, MindoraModelCustomizer>();
        builder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }
}
