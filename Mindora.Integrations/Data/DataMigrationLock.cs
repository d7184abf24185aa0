using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Data;

/// <summary>
/// Serializes the migration runs of one database across processes, from reading what is pending
/// to the last migration applied. EF Core's own migration lock is not enough on PostgreSQL: since
/// EF Core 10 every migration commits in its own transaction, and Npgsql's lock (<c>LOCK TABLE</c>
/// on the history table) ends with each transaction, while the list of migrations to apply is
/// read once, at the start. A second process that was waiting takes the lock between two
/// migrations, applies the rest, and the first then applies them again ("column already exists").
/// This lock is held for the whole run: on PostgreSQL a session-level advisory lock on the
/// context's own connection (keyed by the app's schema and history table; the server releases it
/// if the process dies), on SQLite an exclusive lock on a file beside the database (released by
/// the OS if the process dies).
/// </summary>
internal static class DataMigrationLock
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits until no other process migrates <paramref name="connection"/>'s database, then holds the lock until disposed.</summary>
    public static Task<IAsyncDisposable> AcquireAsync(DbContext db, DataConnection connection, CancellationToken cancellationToken) =>
        connection.Provider == MindoraDataProvider.PostgreSql
            ? AcquirePostgresAsync(db, AdvisoryKey(connection.Schema!), cancellationToken)
            : AcquireFileAsync(connection.File! + ".migrations.lock", cancellationToken);

    /// <summary>The advisory lock key of a schema's migrations: stable across processes and versions.</summary>
    internal static long AdvisoryKey(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"mindora.migrations:{schema}.{HistoryRepository.DefaultTableName}")));

    private static async Task<IAsyncDisposable> AcquirePostgresAsync(DbContext db, long key, CancellationToken cancellationToken)
    {
        // Opened here, the connection stays open through MigrateAsync (EF Core does not close a
        // connection it did not open), so the lock lives as long as the run.
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(db.Database.GetDbConnection(), "SELECT pg_advisory_lock(@key)", key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresLock(db, key);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;

        // Waiting for another process's migrations is not a slow query: only cancellation ends it.
        command.CommandTimeout = 0;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
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

    private sealed class PostgresLock(DbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ExecuteAsync(db.Database.GetDbConnection(), "SELECT pg_advisory_unlock(@key)", key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // A broken connection has lost the lock already, and a pooled one is reset
                // (DISCARD ALL unlocks too) before it is used again: nothing stays locked, and
                // the run's own outcome is what the caller must see.
            }
            finally
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }
}
