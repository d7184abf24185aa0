using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Mindora.Integrations.Data.Migrations;

namespace Mindora.Integrations.Ingestion.Migrations;

/// <summary>
/// The migrations and the snapshot of <see cref="DocumentsDb"/>, once for both providers:
/// written by hand because Microsoft.EntityFrameworkCore.Design does not restore from this
/// project's feed, in the shape <c>dotnet ef migrations add …</c> gives them. A test checks each
/// provider's snapshot against the model (no pending model changes), and EF Core refuses to
/// migrate when they differ. A shipped migration is never edited: databases created by it
/// exist, so a change to the table is a new migration.
/// </summary>
internal static class DocumentsSchema
{
    public static void Up(MigrationBuilder migrationBuilder, ProviderColumnTypes t)
    {
        migrationBuilder.CreateTable(
            name: "documents",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                Title = table.Column<string>(type: t.Varchar(500), maxLength: 500, nullable: false),
                FileName = table.Column<string>(type: t.Varchar(255), maxLength: 255, nullable: false),
                ContentType = table.Column<string>(type: t.Varchar(255), maxLength: 255, nullable: false),
                Size = table.Column<long>(type: t.Long, nullable: false),
                Sha256 = table.Column<string>(type: t.Varchar(64), maxLength: 64, nullable: false),
                Status = table.Column<string>(type: t.Varchar(16), maxLength: 16, nullable: false),
                Error = table.Column<string>(type: t.Text, nullable: true),
                Characters = table.Column<int>(type: t.Int, nullable: true),
                Pages = table.Column<int>(type: t.Int, nullable: true),
                IndexTaskId = table.Column<string>(type: t.Varchar(64), maxLength: 64, nullable: true),
                CreatedAt = t.TimeColumn(table),
                UpdatedAt = t.TimeColumn(table),
            },
            constraints: table => table.PrimaryKey("PK_documents", x => x.Id));

        AuditLogMigration.CreateTable(migrationBuilder, t);

        migrationBuilder.CreateIndex("IX_documents_Status_CreatedAt", "documents", ["Status", "CreatedAt"]);
    }

    public static void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("documents");
        migrationBuilder.DropTable(AuditLogMigration.Table);
    }

    /// <summary>The second migration: a document's tags, chunk count and pipeline steps.</summary>
    public static void UpDetails(MigrationBuilder migrationBuilder, ProviderColumnTypes t)
    {
        migrationBuilder.AddColumn<string>("Tags", "documents", type: t.Varchar(Document.MaxTagsLength), maxLength: Document.MaxTagsLength, nullable: true);
        migrationBuilder.AddColumn<int>("Chunks", "documents", type: t.Int, nullable: true);
        migrationBuilder.AddColumn<string>("Steps", "documents", type: t.Varchar(Document.MaxStepsLength), maxLength: Document.MaxStepsLength, nullable: true);
    }

    public static void DownDetails(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("Steps", "documents");
        migrationBuilder.DropColumn("Chunks", "documents");
        migrationBuilder.DropColumn("Tags", "documents");
    }

    public static void BuildModel(ModelBuilder modelBuilder, ProviderColumnTypes t)
    {
        t.AnnotateSnapshot(modelBuilder);

        AuditLogMigration.Snapshot(modelBuilder, t);

        modelBuilder.Entity("Mindora.Integrations.Ingestion.Document", b =>
        {
            t.Key(b);
            t.VarcharProperty(b, "Title", 500, required: true);
            t.VarcharProperty(b, "FileName", 255, required: true);
            t.VarcharProperty(b, "ContentType", 255, required: true);
            b.Property<long>("Size").HasColumnType(t.Long);
            t.VarcharProperty(b, "Sha256", 64, required: true);
            t.VarcharProperty(b, "Status", 16, required: true);
            b.Property<string>("Error").HasColumnType(t.Text);
            b.Property<int?>("Characters").HasColumnType(t.Int);
            b.Property<int?>("Pages").HasColumnType(t.Int);
            t.VarcharProperty(b, "IndexTaskId", 64, required: false);
            t.VarcharProperty(b, "Tags", Document.MaxTagsLength, required: false);
            b.Property<int?>("Chunks").HasColumnType(t.Int);
            t.VarcharProperty(b, "Steps", Document.MaxStepsLength, required: false);
            t.Timestamps(b);
            b.HasKey("Id");
            b.HasIndex("Status", "CreatedAt");
            b.ToTable("documents");
        });
    }
}
