using Mindora.Hosting.ApplicationModel;
using Npgsql;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// PostgreSQL isolation by credentials: each app is a login role <c>app_{name}</c> (no superuser,
/// no role or database creation). In each database an app references, the role owns schema
/// <c>app_{name}</c> and has it as its search path; nobody else gets rights on it, the public
/// schema is closed to all, and only the apps that reference the database may connect to it.
/// Statements are built by the server's own <c>format(%I, %L)</c>, so no name or password is
/// ever spliced into SQL here.
/// </summary>
internal sealed class PostgresProvisioner : IAppProvisioner
{
    public bool Handles(ServiceResource service) => service is PostgresServerResource;

    public async Task ProvisionAsync(ServiceResource service, IReadOnlyList<AppAccount> accounts, CancellationToken cancellationToken)
    {
        var superuser = await service.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(PostgresDatabases.ForAppHost(superuser!));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var account in accounts)
        {
            await ExecuteFormattedAsync(
                connection,
                """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)
                    THEN format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', @role, @password)
                    ELSE format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', @role, @password)
                END
                """,
                cancellationToken,
                ("role", account.User),
                ("password", account.Password)).ConfigureAwait(false);
        }
    }

    /// <summary>Gives each app its schema in <paramref name="database"/> and closes the database to everyone else.</summary>
    public static async Task ProvisionDatabaseAsync(string databaseAsSuperuser, string database, IReadOnlyList<AppAccount> accounts, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresDatabases.ForAppHost(databaseAsSuperuser));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteFormattedAsync(connection, "SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', @database)", cancellationToken, ("database", database)).ConfigureAwait(false);
        await ExecuteAsync(connection, "REVOKE ALL ON SCHEMA public FROM PUBLIC", cancellationToken).ConfigureAwait(false);
        foreach (var account in accounts)
        {
            await ExecuteFormattedAsync(connection, "SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', @database, @role)", cancellationToken, ("database", database), ("role", account.User)).ConfigureAwait(false);
            await ExecuteFormattedAsync(connection, "SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', @role, @role)", cancellationToken, ("role", account.User)).ConfigureAwait(false);
            await ExecuteFormattedAsync(connection, "SELECT format('ALTER SCHEMA %I OWNER TO %I', @role, @role)", cancellationToken, ("role", account.User)).ConfigureAwait(false);
            await ExecuteFormattedAsync(connection, "SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', @role)", cancellationToken, ("role", account.User)).ConfigureAwait(false);
            await ExecuteFormattedAsync(connection, "SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', @role, @database, @role)", cancellationToken, ("role", account.User), ("database", database)).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteFormattedAsync(NpgsqlConnection connection, string formatQuery, CancellationToken cancellationToken, params (string Name, string Value)[] parameters)
    {
        string statement;
        await using (var format = new NpgsqlCommand(formatQuery, connection))
        {
            foreach (var (name, value) in parameters)
            {
                format.Parameters.AddWithValue(name, value);
            }

            statement = (string)(await format.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string statement, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
