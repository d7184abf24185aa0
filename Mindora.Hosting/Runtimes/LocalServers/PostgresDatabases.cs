using Npgsql;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>Creates a model's databases on a real PostgreSQL server, idempotently.</summary>
internal static class PostgresDatabases
{
    /// <summary>For probes and provisioning: no pool (the AppHost connects rarely), a short timeout.</summary>
    public static string ForAppHost(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 }.ConnectionString;

    public static async Task EnsureCreatedAsync(string serverConnectionString, string databaseName, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ForAppHost(serverConnectionString));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters: the name is quoted as an identifier instead.
        await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(databaseName)}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
