using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mindora.Integrations.Data;

/// <summary>
/// Turns unique-key and foreign-key violations into <see cref="MindoraConflictException"/> naming
/// the constraint. The server's detail text is left out on purpose: it quotes the row's values.
/// </summary>
internal static class ConflictTranslator
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>The conflict <paramref name="exception"/> (or one of its inner exceptions) stands for, or null.</summary>
    public static MindoraConflictException? TryTranslate(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg:
                    return new MindoraConflictException(
                        $"The change conflicts with an existing row: unique constraint '{pg.ConstraintName}' on table '{pg.TableName}' was violated.",
                        exception);
                case PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } pg:
                    return new MindoraConflictException(
                        $"The change breaks a reference: foreign key constraint '{pg.ConstraintName}' on table '{pg.TableName}' was violated (the referenced row does not exist, or rows still refer to this one).",
                        exception);
                case SqliteException { SqliteErrorCode: SqliteConstraint } sqlite when IsSqliteConflict(sqlite):
                    return new MindoraConflictException($"The change conflicts with existing data: {SqliteDetail(sqlite.Message)}.", exception);
            }
        }

        return null;
    }

    /// <summary>
    /// A unique, primary-key or foreign-key violation. A restricted delete of a referenced row
    /// arrives as SQLITE_CONSTRAINT_TRIGGER (SQLite enforces RESTRICT like a trigger), so the
    /// message decides for the other extended codes.
    /// </summary>
    private static bool IsSqliteConflict(SqliteException sqlite) =>
        sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey or SqliteConstraintForeignKey
        || sqlite.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal)
        || sqlite.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal);

    /// <summary>The part of "SQLite Error 19: 'UNIQUE constraint failed: notes.Slug'." that names the constraint.</summary>
    private static string SqliteDetail(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start + 1 ? message[(start + 1)..end] : message;
    }
}
