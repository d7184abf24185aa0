using Microsoft.EntityFrameworkCore;

namespace Mindora.Integrations.Data;

/// <summary>Which provider a context runs on.</summary>
internal static class DataProviders
{
    public const string PostgreSqlSystem = "postgresql";
    public const string SqliteSystem = "sqlite";

    private const string NpgsqlProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static MindoraDataProvider Of(DbContext context) =>
        string.Equals(context.Database.ProviderName, NpgsqlProviderName, StringComparison.Ordinal) ? MindoraDataProvider.PostgreSql : MindoraDataProvider.Sqlite;

    /// <summary>The OpenTelemetry <c>db.system</c> value.</summary>
    public static string SystemName(MindoraDataProvider provider) =>
        provider == MindoraDataProvider.PostgreSql ? PostgreSqlSystem : SqliteSystem;
}
