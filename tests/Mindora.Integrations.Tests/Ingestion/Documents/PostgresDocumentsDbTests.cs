using Mindora.Integrations.Tests.Support;
using Mindora.Testing;
using Npgsql;

namespace Mindora.Integrations.Tests.Ingestion.Documents;

/// <summary>The documents database suite on the real PostgreSQL, each test with its own provisioned app (role, schema, search path).</summary>
[Collection(SharedServers.Collection)]
public sealed class PostgresDocumentsDbTests(SharedServers servers, TempDirectory temp) : DocumentsDbSuite, IClassFixture<TempDirectory>
{
    protected override async Task<DocumentsTarget> NewTargetAsync()
    {
        var app = await servers.CreateAppAsync(SharedServers.NewAppName());
        return new DocumentsTarget(app.App, temp.NewStoreDirectory(), app.Postgres);
    }

    [Fact]
    public async Task Documents_audit_log_and_migrations_history_live_in_the_app_schema()
    {
        var target = await NewTargetAsync();
        await using var host = await StartAsync(target);

        await using var connection = new NpgsqlConnection(target.Database);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name", connection);
        tables.Parameters.AddWithValue("schema", "app_" + target.App);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["__EFMigrationsHistory", "__mindora_migrations_lock", "documents", "mindora_audit_log"], names);
    }
}
