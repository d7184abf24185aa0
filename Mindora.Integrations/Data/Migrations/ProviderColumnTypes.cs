using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;

namespace Mindora.Integrations.Data.Migrations;

/// <summary>
/// The store types one provider gives Mindora's column kinds — what <c>dotnet ef</c> writes into
/// that provider's migration — with the column and snapshot helpers that hand-written migrations
/// share (Microsoft.EntityFrameworkCore.Design does not restore from the feed).
/// </summary>
internal sealed record ProviderColumnTypes(string Guid, string Time, Type TimeClr, Func<int, string> Varchar, string Text, string Int, string Long)
{
    public static readonly ProviderColumnTypes Postgres = new("uuid", "timestamp with time zone", typeof(DateTimeOffset), n => $"character varying({n})", "text", "integer", "bigint");

    // Mindora stores DateTimeOffset as sortable UTC text on SQLite, so the column's CLR type is string.
    public static readonly ProviderColumnTypes Sqlite = new("TEXT", "TEXT", typeof(string), _ => "TEXT", "TEXT", "INTEGER", "INTEGER");

    /// <summary>The model annotations <c>dotnet ef</c> writes at the top of this provider's snapshot.</summary>
    public void AnnotateSnapshot(ModelBuilder modelBuilder)
    {
        modelBuilder.HasAnnotation("ProductVersion", "10.0.14");
        if (this == Postgres)
        {
            modelBuilder.HasAnnotation("Relational:MaxIdentifierLength", 63);
        }
    }

    /// <summary>A required time column of a migration's table.</summary>
    public OperationBuilder<AddColumnOperation> TimeColumn(ColumnsBuilder table) =>
        TimeClr == typeof(string)
            ? table.Column<string>(type: Time, nullable: false)
            : table.Column<DateTimeOffset>(type: Time, nullable: false);

    /// <summary>The Guid key <c>Id</c> in a snapshot.</summary>
    public void Key(EntityTypeBuilder b) =>
        b.Property<Guid>("Id").ValueGeneratedOnAdd().HasColumnType(Guid);

    /// <summary>A string column of at most <paramref name="length"/> characters in a snapshot.</summary>
    public void VarcharProperty(EntityTypeBuilder b, string name, int length, bool required)
    {
        var property = b.Property<string>(name).HasMaxLength(length).HasColumnType(Varchar(length));
        if (required)
        {
            property.IsRequired();
        }
    }

    /// <summary>A required time property in a snapshot.</summary>
    public void TimeProperty(EntityTypeBuilder b, string name) =>
        b.Property(TimeClr, name).IsRequired().HasColumnType(Time);

    /// <summary>The <see cref="MindoraEntity"/> timestamps in a snapshot.</summary>
    public void Timestamps(EntityTypeBuilder b)
    {
        TimeProperty(b, "CreatedAt");
        TimeProperty(b, "UpdatedAt");
    }
}
