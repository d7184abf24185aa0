using Microsoft.Data.Sqlite;

namespace Mindora.Integrations;

/// <summary>Small helpers that keep data access code short.</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>Adds a parameter (null becomes SQL NULL) and returns the command for chaining.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Reads a nullable string column.</summary>
    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a nullable integer column.</summary>
    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>Reads a column that stores a Unix time in milliseconds.</summary>
    public static DateTimeOffset GetUnixTime(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Reads a nullable column that stores a Unix time in milliseconds.</summary>
    public static DateTimeOffset? GetNullableUnixTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
