namespace Mindora.Integrations.Tests.Data.Migrations;

/// <summary>The store types one provider gives the test model's columns (what `dotnet ef` would write into each provider's migration).</summary>
internal sealed record NotesColumnTypes(string Guid, string Time, Type TimeClr, Func<int, string> Varchar, string Text, string Int, string Long)
{
    public static readonly NotesColumnTypes Postgres = new("uuid", "timestamp with time zone", typeof(DateTimeOffset), n => $"character varying({n})", "text", "integer", "bigint");

    // Mindora stores DateTimeOffset as sortable UTC text on SQLite, so the column's CLR type is string.
    public static readonly NotesColumnTypes Sqlite = new("TEXT", "TEXT", typeof(string), _ => "TEXT", "TEXT", "INTEGER", "INTEGER");
}
