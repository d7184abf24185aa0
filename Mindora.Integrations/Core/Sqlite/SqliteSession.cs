using Microsoft.Data.Sqlite;

namespace Mindora.Integrations;

/// <summary>An open connection inside one transaction; hands out commands bound to both.</summary>
internal sealed class SqliteSession(SqliteConnection connection, SqliteTransaction transaction)
{
    /// <summary>
    /// Creates a command for ONE statement. Microsoft.Data.Sqlite swallows SQLITE_BUSY raised by a
    /// later statement of a multi-statement command when an earlier one returned rows, so a write
    /// could be lost silently; one statement per command avoids that.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
