namespace Mindora.Integrations.Data;

/// <summary>The database behind a Mindora DbContext, chosen by its connection string.</summary>
internal enum MindoraDataProvider
{
    /// <summary>A PostgreSQL server (<c>Host=…;Port=…;Username=…;Password=…;Database=…</c>).</summary>
    PostgreSql,

    /// <summary>An embedded SQLite file per app (<c>Embedded=/abs/dir;Database=db</c>).</summary>
    Sqlite,
}
