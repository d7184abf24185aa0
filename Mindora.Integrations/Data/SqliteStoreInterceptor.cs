using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mindora.Integrations.Data;

/// <summary>
/// Prepares an embedded store on first use rather than at start-up (so a bad directory shows in
/// the health check, not as a crash): creates the data directory and switches the file to WAL,
/// which lets the API and worker processes read while one of them writes. Every connection gets
/// SQLite's busy timeout: without it a writer that meets another's lock is left to
/// Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms a turn and stalls every concurrent
/// worker far longer than the lock is held.
/// </summary>
internal sealed class SqliteStoreInterceptor(string directory, TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _connectionPragmas = "PRAGMA busy_timeout = " + ((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    private volatile bool _ready;

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        EnsureDirectory();
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        EnsureDirectory();
        return ValueTask.FromResult(result);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = _connectionPragmas;
            pragmas.ExecuteNonQuery();
        }

        if (!_ready && !IsReadOnly(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL";
            command.ExecuteScalar();
            _ready = true;
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = _connectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!_ready && !IsReadOnly(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL";
            await command.ExecuteScalarAsync(cancellationToken);
            _ready = true;
        }
    }

    // EF Core checks that the database exists on a read-only connection; switching a file that
    // another process has just created to WAL there would be a write, refused as SQLITE_READONLY.
    private static bool IsReadOnly(DbConnection connection) =>
        connection is SqliteConnection && new SqliteConnectionStringBuilder(connection.ConnectionString).Mode == SqliteOpenMode.ReadOnly;

    private void EnsureDirectory()
    {
        if (_ready)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MindoraUnavailableException($"The embedded database directory '{directory}' cannot be used: {e.Message}", e);
        }
    }
}
