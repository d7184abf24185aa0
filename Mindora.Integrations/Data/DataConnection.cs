using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mindora.Integrations.Data;

/// <summary>
/// Where an app's relational data lives, parsed from its connection string: on PostgreSQL the
/// app's schema <c>app_{name}</c> (pinned as the search path, so every unqualified name — tables
/// and the migrations history — resolves there); embedded, one SQLite file per app under the
/// data directory. The app name is validated before it becomes an identifier or a file name.
/// </summary>
internal sealed partial class DataConnection
{
    private const string DatabaseKey = "Database";

    private DataConnection(MindoraDataProvider provider, string app, string database, string? schema, string? directory, string? file, string baseConnectionString)
    {
        Provider = provider;
        App = app;
        Database = database;
        Schema = schema;
        Directory = directory;
        File = file;
        BaseConnectionString = baseConnectionString;
    }

    public MindoraDataProvider Provider { get; }

    public string App { get; }

    /// <summary>The database name (PostgreSQL) or the database's stem in the file name (SQLite).</summary>
    public string Database { get; }

    /// <summary>The app's schema on PostgreSQL; null on SQLite, which has none.</summary>
    public string? Schema { get; }

    /// <summary>The data directory of the embedded form.</summary>
    public string? Directory { get; }

    /// <summary>The SQLite file of the embedded form.</summary>
    public string? File { get; }

    /// <summary>The provider's connection string before pool and timeout settings.</summary>
    public string BaseConnectionString { get; }

    /// <summary>The PostgreSQL schema of an app: <c>app_{name}</c> with '-' as '_' (as the AppHost provisions it).</summary>
    public static string SchemaFor(string app) => "app_" + MindoraNames.ValidateAppName(app).Replace('-', '_');

    /// <exception cref="MindoraInvalidNameException">The app name is not allowed.</exception>
    /// <exception cref="MindoraConfigurationException">The connection string is not usable.</exception>
    public static DataConnection Parse(MindoraConnectionString connection, string connectionName, string app)
    {
        MindoraNames.ValidateAppName(app);
        return connection.IsEmbedded ? ParseEmbedded(connection, connectionName, app) : ParsePostgres(connection.Raw, connectionName, app);
    }

    /// <summary>The connection string the provider opens, with the options' pool and timeout.</summary>
    public string ConnectionString(MindoraDataOptions options)
    {
        var seconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        if (Provider == MindoraDataProvider.Sqlite)
        {
            return new SqliteConnectionStringBuilder(BaseConnectionString) { DefaultTimeout = seconds }.ToString();
        }

        return new NpgsqlConnectionStringBuilder(BaseConnectionString)
        {
            MaxPoolSize = options.MaxPoolSize,
            MinPoolSize = options.MinPoolSize,
            CommandTimeout = seconds,
        }.ConnectionString;
    }

    private static DataConnection ParseEmbedded(MindoraConnectionString connection, string connectionName, string app)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connection.Raw };
        var database = builder.TryGetValue(DatabaseKey, out var value) && value is string given && given.Length > 0 ? given : connectionName;
        if (!DatabaseNameRegex().IsMatch(database))
        {
            throw new MindoraConfigurationException($"Connection string '{connectionName}': the database name must be 1 to 63 letters, digits, '_' or '-', starting with a letter or digit.");
        }

        var directory = connection.EmbeddedDirectory!;
        var file = Path.Combine(directory, $"{database}-{app}.sqlite");
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        return new DataConnection(MindoraDataProvider.Sqlite, app, database, null, directory, file, sqlite);
    }

    private static DataConnection ParsePostgres(string raw, string connectionName, string app)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(raw);
        }
        catch (ArgumentException)
        {
            // Never echo the string: it holds a password.
            throw new MindoraConfigurationException($"Connection string '{connectionName}' is neither Mindora's embedded form 'Embedded=/abs/dir;Database=db' nor a valid PostgreSQL connection string.");
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new MindoraConfigurationException($"Connection string '{connectionName}' must name a PostgreSQL Host and Database ('Host=…;Port=…;Username=…;Password=…;Database=…').");
        }

        var schema = SchemaFor(app);
        builder.SearchPath = schema;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "mindora-" + app;
        }

        return new DataConnection(MindoraDataProvider.PostgreSql, app, builder.Database, schema, null, null, builder.ConnectionString);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseNameRegex();
}
