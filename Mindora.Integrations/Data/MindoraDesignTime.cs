using Microsoft.EntityFrameworkCore;

namespace Mindora.Integrations.Data;

/// <summary>
/// Context options for <c>dotnet ef</c> (an <c>IDesignTimeDbContextFactory</c>) set up exactly
/// as <c>AddMindoraDbContext</c> sets them up at run time, so migrations match the running model.
/// See docs/data.md.
/// </summary>
public static class MindoraDesignTime
{
    /// <summary>Options for <paramref name="appName"/> on the database <paramref name="connectionString"/> names (either form).</summary>
    /// <exception cref="MindoraInvalidNameException">The app name is not allowed.</exception>
    /// <exception cref="MindoraConfigurationException">The connection string is not usable.</exception>
    public static DbContextOptions<TContext> CreateOptions<TContext>(string appName, string connectionString, MindoraDataOptions? options = null)
        where TContext : DbContext
    {
        const string name = "design-time";
        var connection = DataConnection.Parse(MindoraConnectionString.Parse(connectionString, name), name, appName);
        var builder = new DbContextOptionsBuilder<TContext>();
        DataContextConfigurator.Configure(builder, connection, options ?? new MindoraDataOptions(), null);
        return builder.Options;
    }

    /// <summary>
    /// Options from the arguments <c>dotnet ef</c> passes after <c>--</c>:
    /// <c>--provider postgres|sqlite</c> (default postgres) and, to reach a real database
    /// (<c>database update</c>), <c>--connection "…"</c>. Without a connection, PostgreSQL gets a
    /// placeholder on localhost and SQLite a file under the temp directory; making migrations
    /// opens neither.
    /// </summary>
    public static DbContextOptions<TContext> CreateOptions<TContext>(string appName, string[] args)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(args);
        MindoraNames.ValidateAppName(appName);
        var provider = Argument(args, "--provider") ?? "postgres";
        var connection = Argument(args, "--connection") ?? provider.ToUpperInvariant() switch
        {
            "SQLITE" => MindoraConnectionString.ForEmbedded(Path.Combine(Path.GetTempPath(), "mindora-design-time")) + ";Database=db",
            "POSTGRES" or "POSTGRESQL" or "NPGSQL" => $"Host=localhost;Database=db;Username=app_{appName.Replace('-', '_')}",
            _ => throw new MindoraConfigurationException($"Unknown --provider '{provider}': allowed are postgres and sqlite."),
        };
        return CreateOptions<TContext>(appName, connection);
    }

    private static string? Argument(string[] args, string name)
    {
        var index = Array.FindIndex(args, a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
