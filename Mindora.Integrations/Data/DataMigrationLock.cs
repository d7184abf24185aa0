using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Mindora.Integrations.Data;

/// <summary>
/// Serializes the migration runs of one database across processes, from reading what is pending
/// to the last migration applied. EF Core's own migration lock is not enough on PostgreSQL: since
/// EF Core 10 every migration commits in its own transaction, and Npgsql's lock (<c>LOCK TABLE</c>
/// on the history table) ends with each transaction, while the list of migrations to apply is
/// read once, at the start. A second process that was waiting takes the lock between two
/// migrations, applies the rest, and the first then applies them again ("column already exists").
/// This lock is held for the whole run. On PostgreSQL it is a table lock on
/// <c>__mindora_migrations_lock</c> in the app's own schema, held by an open transaction on a
/// second connection: only the app's role can take it (an advisory lock key could be taken by any
/// role, so another app could stall this one's migrations), and the server releases it if the
/// process dies. On SQLite it is an exclusive lock on a file beside the database (released by the
/// OS if the process dies).
/// </summary>
internal static class DataMigrationLock
{
    /// <summary>The empty table in the app's schema whose lock is the migration lock.</summary>
    internal const string PostgresLockTable = "__mindora_migrations_lock";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits until no other process migrates <paramref name="connection"/>'s database, then holds
    /// the lock until disposed. <paramref name="lockDb"/> must be a context of its own, not the one
    /// that migrates: on PostgreSQL its connection holds the lock in an open transaction.
    /// </summary>
    public static Task<IAsyncDisposable> AcquireAsync(DbContext lockDb, DataConnection connection, CancellationToken cancellationToken) =>
        connection.Provider == MindoraDataProvider.PostgreSql
            ? AcquirePostgresAsync(lockDb, connection.Schema!, cancellationToken)
            : AcquireFileAsync(connection.File! + ".migrations.lock", cancellationToken);

    private static async Task<IAsyncDisposable> AcquirePostgresAsync(DbContext lockDb, string schema, CancellationToken cancellationToken)
    {
        var table = $"\"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".\"{PostgresLockTable}\"";
        await lockDb.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var database = lockDb.Database.GetDbConnection();
        try
        {
            await CreateLockTableAsync(database, table, cancellationToken).ConfigureAwait(false);
            var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Waiting for another process's migrations is not a slow query: only cancellation ends it.
                await ExecuteAsync(database, transaction, $"LOCK TABLE {table} IN EXCLUSIVE MODE", timeoutSeconds: 0, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return new PostgresLock(lockDb, transaction);
        }
        catch
        {
            await lockDb.Database.CloseConnectionAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CreateLockTableAsync(DbConnection database, string table, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(database, null, $"CREATE TABLE IF NOT EXISTS {table} ()", timeoutSeconds: 30, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (e.SqlState is "23505" or "42P07" or "42710")
        {
            // Two processes created it at once (IF NOT EXISTS does not cover that race): it exists.
        }
    }

    private static async Task ExecuteAsync(DbConnection database, DbTransaction? transaction, string sql, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IAsyncDisposable> AcquireFileAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix and a share lock on Windows. The
                // file is never deleted: a process may be about to lock the one it opened.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }

    private sealed class PostgresLock(DbContext lockDb, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Ending the transaction releases the lock; it changed nothing, so rolling back is enough.
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // A broken connection's transaction is gone, and its lock with it; the run's own
                // outcome is what the caller must see.
            }
            finally
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
                await lockDb.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }
}
