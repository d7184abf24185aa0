using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Npgsql;

namespace DataBench;

/// <summary>
/// A PostgreSQL started through Mindora.Hosting's process runtime (as the AppHost runs it), with
/// room for both pools of the benchmark, and app <c>bench</c> provisioned on it the way the AppHost
/// provisions apps: a login role that owns schema <c>app_bench</c> and has it as search path.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    public const string App = "bench";
    private const string Database = "bench";

    private readonly MindoraApplication _app;
    private readonly string _dataDirectory;

    private BenchServer(MindoraApplication app, string dataDirectory, string appConnectionString, string version)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        AppConnectionString = appConnectionString;
        Version = version;
    }

    /// <summary>The app's connection string, as the AppHost would hand it over.</summary>
    public string AppConnectionString { get; }

    public string Version { get; }

    public static async Task<BenchServer> StartAsync(int maxConnections, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mindora-databench-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = MindoraApplication.CreateBuilder(["--runtime", "process", "--strict"]);
        builder.Options.DataDirectory = dataDirectory;
        builder.Options.DashboardUrl = new Uri("http://127.0.0.1:0");
        builder.Options.RandomizePorts = true;
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        var postgres = builder.AddPostgres("pg");
        var database = postgres.AddDatabase(Database);
        var app = builder.Build();
        await app.StartAsync(cancellationToken);
        await WaitHealthyAsync(app, cancellationToken);

        var superuser = (await postgres.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!;
        var databaseAsSuperuser = (await database.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!;

        // PostgreSQL's default of 100 connections cannot hold two pools of 100: raise it and restart.
        await ExecuteAsync(superuser, cancellationToken, $"ALTER SYSTEM SET max_connections = {maxConnections}");
        await app.ControlAsync("pg", ResourceAction.Restart);
        await WaitHealthyAsync(app, cancellationToken);

        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await ExecuteAsync(superuser, cancellationToken, $"CREATE ROLE app_{App} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}'");
        await ExecuteAsync(
            databaseAsSuperuser,
            cancellationToken,
            $"REVOKE ALL ON DATABASE {Database} FROM PUBLIC",
            $"GRANT CONNECT, TEMPORARY ON DATABASE {Database} TO app_{App}",
            $"CREATE SCHEMA app_{App} AUTHORIZATION app_{App}",
            $"ALTER ROLE app_{App} IN DATABASE {Database} SET search_path = app_{App}");

        var appConnection = new NpgsqlConnectionStringBuilder(superuser) { Username = $"app_{App}", Password = password, Database = Database }.ConnectionString;
        await using var probe = new NpgsqlConnection(superuser);
        await probe.OpenAsync(cancellationToken);
        await using var show = new NpgsqlCommand("SELECT current_setting('server_version') || ', max_connections ' || current_setting('max_connections')", probe);
        var version = (string)(await show.ExecuteScalarAsync(cancellationToken))!;
        return new BenchServer(app, dataDirectory, appConnection, version);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static async Task WaitHealthyAsync(MindoraApplication app, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await app.WaitForAllHealthyAsync(timeout.Token);
    }

    private static async Task ExecuteAsync(string connectionString, CancellationToken cancellationToken, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var statement in statements)
        {
            // Fixed identifiers and a generated hex password: nothing here comes from input.
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
