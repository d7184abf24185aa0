using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mindora.Integrations.Data;

/// <summary>
/// One registered context's database: the parsed connection, its options, the Npgsql data
/// source (the connection pool, sized by the options and disposed with the host), the
/// interceptors bound to it, and the health probe.
/// </summary>
/// <typeparam name="TContext">The context it serves (one store per context type).</typeparam>
internal sealed class MindoraDataStore<TContext> : IMindoraHealthProbe, IAsyncDisposable
    where TContext : DbContext
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly SqliteStoreInterceptor? _sqlite;
    private readonly DataCommandInterceptor _commands;

    public MindoraDataStore(DataConnection connection, MindoraDataOptions options, DataTelemetry telemetry)
    {
        options.Validate();
        Connection = connection;
        Options = options;
        Telemetry = telemetry;
        _connectionString = connection.ConnectionString(options);
        _commands = new DataCommandInterceptor(telemetry, DataProviders.SystemName(connection.Provider));
        if (connection.Provider == MindoraDataProvider.PostgreSql)
        {
            // Building the data source opens nothing: an unreachable server shows in the health check.
            _dataSource = new NpgsqlDataSourceBuilder(_connectionString).Build();
        }
        else
        {
            _sqlite = new SqliteStoreInterceptor(connection.Directory!, options.CommandTimeout);
        }
    }

    public DataConnection Connection { get; }

    public MindoraDataOptions Options { get; }

    public DataTelemetry Telemetry { get; }

    /// <summary>Applies the provider, the app's schema, retries, timeouts and Mindora's interceptors.</summary>
    public void Configure(DbContextOptionsBuilder builder, MindoraSaveChangesInterceptor saveChanges)
    {
        DataContextConfigurator.Configure(builder, Connection, Options, _dataSource);
        builder.AddInterceptors(_commands, saveChanges);
        if (_sqlite is not null)
        {
            builder.AddInterceptors(_sqlite);
        }
    }

    /// <summary>PostgreSQL: a connection answers and the app's schema is its current schema. SQLite: the file reads and the directory takes writes.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (_dataSource is not null)
        {
            await ProbePostgresAsync(_dataSource, cancellationToken);
        }
        else
        {
            await ProbeSqliteAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        else
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    private async Task ProbePostgresAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        string? schema;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_schema()", connection);
            schema = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        catch (NpgsqlException e)
        {
            throw new MindoraUnavailableException($"PostgreSQL database '{Connection.Database}' cannot be used: {e.Message}", e);
        }

        if (schema != Connection.Schema)
        {
            throw new MindoraUnavailableException($"PostgreSQL database '{Connection.Database}' answers, but the app's schema '{Connection.Schema}' does not exist or this role may not use it.");
        }
    }

    private async Task ProbeSqliteAsync(CancellationToken cancellationToken)
    {
        var directory = Connection.Directory!;
        try
        {
            Directory.CreateDirectory(directory);
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_schema";
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new MindoraUnavailableException($"The embedded database '{Connection.File}' cannot be used: {e.Message}", e);
        }

        await DirectoryAccess.ProbeWriteAsync(directory, cancellationToken);
    }
}
