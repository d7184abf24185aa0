using Microsoft.Extensions.Hosting;
using Microsoft.EntityFrameworkCore;
using Mindora.Hosting.ApplicationModel;
using Mindora.Integrations.Data;
using Mindora.Testing;
using Npgsql;

namespace Mindora.Integrations.Tests.Data;

/// <summary>The data suite on a real PostgreSQL server, each test with its own provisioned app (role, schema, search path).</summary>
[Collection(SharedServers.Collection)]
public sealed class PostgresDataTests(SharedServers servers) : DataSuite
{
    protected override string SlugConstraint => "IX_notes_Slug";

    protected override string OwnerConstraint => "FK_notes_owners_OwnerId";

    protected override string DbSystem => "postgresql";

    protected override async Task<DataTarget> NewTargetAsync()
    {
        var app = await servers.CreateAppAsync(SharedServers.NewAppName());
        return new DataTarget(app.App, app.Postgres);
    }

    protected override async Task<DataTarget> UnusableTargetAsync()
    {
        var app = await servers.CreateAppAsync(SharedServers.NewAppName());
        var wrongPassword = new NpgsqlConnectionStringBuilder(app.Postgres) { Password = "not-the-password", Timeout = 5 };
        return new DataTarget(app.App, wrongPassword.ConnectionString);
    }

    protected override async Task InterruptConnectionAsync(NotesContext db)
    {
        var pid = ((NpgsqlConnection)db.Database.GetDbConnection()).ProcessID;
        await using var superuser = new NpgsqlConnection(await SuperuserAsync());
        await superuser.OpenAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", superuser);
        terminate.Parameters.AddWithValue("pid", pid);
        Assert.Equal(true, await terminate.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Tables_and_the_migrations_history_live_in_the_app_schema()
    {
        await using var host = await StartAsync();
        var schema = "app_" + host.Target.App.Replace('-', '_');

        await using var app = new NpgsqlConnection(host.Target.ConnectionString);
        await app.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name", app);
        tables.Parameters.AddWithValue("schema", schema);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["__EFMigrationsHistory", "__mindora_migrations_lock", "mindora_ai_results", "mindora_audit_log", "mindora_files", "notes", "owners"], names);
        await using var history = new NpgsqlCommand($"SELECT \"MigrationId\" FROM \"{schema}\".\"__EFMigrationsHistory\"", app);
        Assert.Equal(InitialMigration, await history.ExecuteScalarAsync());

        await using var superuser = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(await SuperuserAsync()) { Database = servers.Database.DatabaseName }.ConnectionString);
        await superuser.OpenAsync();
        await using var elsewhere = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", superuser);
        Assert.Equal(0L, await elsewhere.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Another_app_role_is_refused_this_app_tables_by_the_server()
    {
        await using var host = await StartAsync();
        await host.WithDbAsync(db => db.CreateAsync(new Note { Title = "private", Slug = "private" }));
        var schema = "app_" + host.Target.App.Replace('-', '_');
        var other = await servers.CreateAppAsync(SharedServers.NewAppName());

        await using var connection = new NpgsqlConnection(other.Postgres);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".\"notes\"", connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => read.ExecuteScalarAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);

        // Through Mindora the other app simply has its own, empty tables.
        await using var otherHost = await DataHost.StartAsync(new DataTarget(other.App, other.Postgres));
        Assert.Empty(await TitlesAsync(otherHost));
    }

    [Fact]
    public async Task Another_app_role_cannot_take_this_app_migration_lock()
    {
        // An advisory lock key could be taken by any role and stall this app's migrations; the
        // table lock in the app's schema is refused to every other role by the server.
        await using var host = await StartAsync();
        var schema = "app_" + host.Target.App.Replace('-', '_');
        var other = await servers.CreateAppAsync(SharedServers.NewAppName());

        await using var connection = new NpgsqlConnection(other.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var take = new NpgsqlCommand($"LOCK TABLE \"{schema}\".\"{DataMigrationLock.PostgresLockTable}\" IN EXCLUSIVE MODE", connection, transaction);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => take.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Empty(await host.Host.MigrateMindoraDbAsync<NotesContext>());
    }

    [Fact]
    public async Task A_connection_dropped_mid_transaction_reruns_the_whole_unit_exactly_once()
    {
        await using var host = await StartAsync();
        var attempts = 0;

        await host.WithDbAsync(db => db.ExecuteInTransactionAsync(async ct =>
        {
            attempts++;
            await db.CreateAsync(new Note { Title = "one", Slug = "one" }, ct);
            if (attempts == 1)
            {
                await InterruptConnectionAsync(db);
            }

            await db.CreateAsync(new Note { Title = "two", Slug = "two" }, ct);
        }));

        Assert.Equal(2, attempts);
        Assert.Equal(["one", "two"], await TitlesAsync(host));
        Assert.Equal(2, (await AuditAsync(host)).Count);
    }

    private async Task<string> SuperuserAsync() =>
        (await servers.Postgres.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, CancellationToken.None))!;
}
