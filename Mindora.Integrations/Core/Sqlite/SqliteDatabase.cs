using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations;

/// <summary>
/// One SQLite file of an embedded store, opened at the same time by several processes of one
/// machine: WAL journal (readers never block the writer), a busy timeout, one short transaction
/// per unit of work (<c>BEGIN IMMEDIATE</c> for writes) and <see cref="SqliteResilience"/> around it.
/// The directory and schema are created lazily, so a bad directory surfaces in the health check
/// and on use, not while the host is being built.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private const int BusyTimeoutMilliseconds = 5000;

    private readonly string _connectionString;
    private readonly string _synchronousPragma;
    private readonly IReadOnlyList<string> _schema;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;
    private int _disposed;

    /// <param name="directory">The store's data directory (absolute).</param>
    /// <param name="fileName">The database file inside it, e.g. <c>files.db</c>.</param>
    /// <param name="storeName">A short name for messages, e.g. <c>files</c>.</param>
    /// <param name="schema">Idempotent DDL statements (<c>IF NOT EXISTS</c>), one statement each.</param>
    /// <param name="durableCommits">FULL sync (every commit reaches the disk) instead of NORMAL.</param>
    public SqliteDatabase(string directory, string fileName, string storeName, IReadOnlyList<string> schema, bool durableCommits)
    {
        DirectoryPath = directory;
        FilePath = Path.Combine(directory, fileName);
        StoreName = storeName;
        _schema = schema;
        _synchronousPragma = durableCommits ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Bounds Microsoft.Data.Sqlite's own busy loop to about one busy timeout.
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    /// <summary>The store's data directory.</summary>
    public string DirectoryPath { get; }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>A short name of the store used in messages.</summary>
    public string StoreName { get; }

    /// <summary>Runs <paramref name="read"/> in a deferred transaction (one consistent snapshot).</summary>
    public Task<T> ReadAsync<T>(Func<SqliteSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(read, deferred: true, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> in a <c>BEGIN IMMEDIATE</c> transaction: the write lock is
    /// taken up front, so a read-modify-write never fails half-way with a stale snapshot. The
    /// whole unit is retried on busy errors, so it must only touch the database.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteSession, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        RunAsync(write, deferred: false, cancellationToken);

    /// <summary>Proves the store works: schema readable, write lock obtainable, directory writable.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command("SELECT count(*) FROM sqlite_schema");
                return await command.ExecuteScalarAsync(ct);
            },
            cancellationToken);
        await DirectoryAccess.ProbeWriteAsync(DirectoryPath, cancellationToken);
    }

    /// <summary>Creates the directory and schema once per instance; a failure is retried on the next call.</summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(DirectoryPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new MindoraUnavailableException($"The embedded {StoreName} store cannot use the directory '{DirectoryPath}': {e.Message}", e);
            }

            await SqliteResilience.Pipeline.ExecuteAsync(
                async ct =>
                {
                    await using var connection = await OpenAsync(ct);
                    await EnableWalAsync(connection, ct);
                    using var transaction = connection.BeginTransaction(deferred: false);
                    var session = new SqliteSession(connection, transaction);
                    foreach (var statement in _schema)
                    {
                        using var command = session.Command(statement);
                        await command.ExecuteNonQueryAsync(ct);
                    }

                    transaction.Commit();
                },
                cancellationToken);
            _initialized = true;
        }
        catch (SqliteException e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>Releases pooled connections to the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initLock.Dispose();
    }

    private async Task<T> RunAsync<T>(Func<SqliteSession, CancellationToken, Task<T>> body, bool deferred, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        try
        {
            return await SqliteResilience.Pipeline.ExecuteAsync(
                async ct =>
                {
                    await using var connection = await OpenAsync(ct);
                    using var transaction = connection.BeginTransaction(deferred);
                    var result = await body(new SqliteSession(connection, transaction), ct);
                    transaction.Commit();
                    return result;
                },
                cancellationToken);
        }
        catch (SqliteException e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Per-connection settings; pooled connections keep them, re-applying is cheap.
            await ExecutePragmaAsync(connection, "PRAGMA busy_timeout = " + BusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture), cancellationToken);
            await ExecutePragmaAsync(connection, _synchronousPragma, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task EnableWalAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // The journal mode is stored in the file, so every process then shares one WAL.
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new MindoraUnavailableException(
                $"The embedded {StoreName} store at '{FilePath}' cannot use SQLite's WAL mode (got '{mode}'); the data directory must be on a local file system.");
        }
    }

    private static async Task ExecutePragmaAsync(SqliteConnection connection, string pragma, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private MindoraUnavailableException Unavailable(SqliteException e) =>
        SqliteResilience.IsTransient(e)
            ? new MindoraUnavailableException($"The embedded {StoreName} store at '{FilePath}' stayed locked by another process; try again.", e)
            : new MindoraUnavailableException($"The embedded {StoreName} store at '{FilePath}' cannot be used: {e.Message}", e);

    // Failures of the file or lock, not of our SQL: busy, locked, perm, readonly, I/O, corrupt, full, cannot open, protocol, not a database.
    private static bool IsUnavailable(SqliteException e) =>
        (e.SqliteErrorCode & 0xFF) is 3 or 5 or 6 or 8 or 10 or 11 or 13 or 14 or 15 or 26;
}
