using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Mindora.Integrations.Data.Migrations;

namespace Mindora.Integrations.Tests.Data.Migrations;

/// <summary>
/// The test model's first migration and snapshot, written by hand for both providers because
/// Microsoft.EntityFrameworkCore.Design does not restore from this project's feed (its
/// Mono.TextTemplating dependency is missing), so `dotnet ef` cannot run here. They hold what
/// `dotnet ef migrations add Initial` produces; the tests prove it: EF Core refuses to migrate
/// when a snapshot differs from the model.
/// </summary>
internal static class NotesSchema
{
    public static void Up(MigrationBuilder migrationBuilder, ProviderColumnTypes t)
    {
        migrationBuilder.CreateTable(
            name: "owners",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                Name = table.Column<string>(type: t.Varchar(100), maxLength: 100, nullable: false),
                CreatedAt = t.TimeColumn(table),
                UpdatedAt = t.TimeColumn(table),
            },
            constraints: table => table.PrimaryKey("PK_owners", x => x.Id));

        migrationBuilder.CreateTable(
            name: "notes",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                Title = table.Column<string>(type: t.Varchar(200), maxLength: 200, nullable: false),
                Slug = table.Column<string>(type: t.Varchar(100), maxLength: 100, nullable: false),
                Secret = table.Column<string>(type: t.Text, nullable: true),
                Priority = table.Column<int>(type: t.Int, nullable: false),
                OwnerId = table.Column<Guid>(type: t.Guid, nullable: true),
                CreatedAt = t.TimeColumn(table),
                UpdatedAt = t.TimeColumn(table),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_notes", x => x.Id);
                table.ForeignKey("FK_notes_owners_OwnerId", x => x.OwnerId, "owners", "Id", onDelete: ReferentialAction.Restrict);
            });

        AuditLogMigration.CreateTable(migrationBuilder, t);

        migrationBuilder.CreateTable(
            name: "mindora_files",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                Bucket = table.Column<string>(type: t.Varchar(63), maxLength: 63, nullable: false),
                Key = table.Column<string>(type: t.Varchar(1024), maxLength: 1024, nullable: false),
                FileName = table.Column<string>(type: t.Varchar(255), maxLength: 255, nullable: false),
                ContentType = table.Column<string>(type: t.Varchar(255), maxLength: 255, nullable: false),
                SizeBytes = table.Column<long>(type: t.Long, nullable: false),
                Sha256 = table.Column<string>(type: t.Varchar(64), maxLength: 64, nullable: true),
                UploadedBy = table.Column<string>(type: t.Varchar(200), maxLength: 200, nullable: true),
                CreatedAt = t.TimeColumn(table),
                UpdatedAt = t.TimeColumn(table),
            },
            constraints: table => table.PrimaryKey("PK_mindora_files", x => x.Id));

        migrationBuilder.CreateTable(
            name: "mindora_ai_results",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                InputRef = table.Column<string>(type: t.Varchar(1024), maxLength: 1024, nullable: false),
                Model = table.Column<string>(type: t.Varchar(200), maxLength: 200, nullable: false),
                Prompt = table.Column<string>(type: t.Text, nullable: true),
                Response = table.Column<string>(type: t.Text, nullable: true),
                PromptTokens = table.Column<int>(type: t.Int, nullable: true),
                CompletionTokens = table.Column<int>(type: t.Int, nullable: true),
                LatencyMilliseconds = table.Column<int>(type: t.Int, nullable: true),
                Status = table.Column<string>(type: t.Varchar(16), maxLength: 16, nullable: false),
                Error = table.Column<string>(type: t.Text, nullable: true),
                CreatedAt = t.TimeColumn(table),
                UpdatedAt = t.TimeColumn(table),
            },
            constraints: table => table.PrimaryKey("PK_mindora_ai_results", x => x.Id));

        migrationBuilder.CreateIndex("IX_notes_OwnerId", "notes", "OwnerId");
        migrationBuilder.CreateIndex("IX_notes_Slug", "notes", "Slug", unique: true);
        migrationBuilder.CreateIndex("IX_mindora_files_Bucket_Key", "mindora_files", ["Bucket", "Key"], unique: true);
        migrationBuilder.CreateIndex("IX_mindora_ai_results_InputRef", "mindora_ai_results", "InputRef");
        migrationBuilder.CreateIndex("IX_mindora_ai_results_Status_CreatedAt", "mindora_ai_results", ["Status", "CreatedAt"]);
    }

    public static void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("notes");
        migrationBuilder.DropTable("owners");
        migrationBuilder.DropTable(AuditLogMigration.Table);
        migrationBuilder.DropTable("mindora_files");
        migrationBuilder.DropTable("mindora_ai_results");
    }

    public static void BuildModel(ModelBuilder modelBuilder, ProviderColumnTypes t)
    {
        t.AnnotateSnapshot(modelBuilder);

        modelBuilder.Entity("Mindora.Integrations.Data.AiProcessingResult", b =>
        {
            t.Key(b);
            t.VarcharProperty(b, "InputRef", 1024, required: true);
            t.VarcharProperty(b, "Model", 200, required: true);
            b.Property<string>("Prompt").HasColumnType(t.Text);
            b.Property<string>("Response").HasColumnType(t.Text);
            b.Property<int?>("PromptTokens").HasColumnType(t.Int);
            b.Property<int?>("CompletionTokens").HasColumnType(t.Int);
            b.Property<int?>("LatencyMilliseconds").HasColumnType(t.Int);
            t.VarcharProperty(b, "Status", 16, required: true);
            b.Property<string>("Error").HasColumnType(t.Text);
            t.Timestamps(b);
            b.HasKey("Id");
            b.HasIndex("InputRef");
            b.HasIndex("Status", "CreatedAt");
            b.ToTable("mindora_ai_results");
        });

        AuditLogMigration.Snapshot(modelBuilder, t);

        modelBuilder.Entity("Mindora.Integrations.Data.FileRecord", b =>
        {
            t.Key(b);
            t.VarcharProperty(b, "Bucket", 63, required: true);
            t.VarcharProperty(b, "Key", 1024, required: true);
            t.VarcharProperty(b, "FileName", 255, required: true);
            t.VarcharProperty(b, "ContentType", 255, required: true);
            b.Property<long>("SizeBytes").HasColumnType(t.Long);
            t.VarcharProperty(b, "Sha256", 64, required: false);
            t.VarcharProperty(b, "UploadedBy", 200, required: false);
            t.Timestamps(b);
            b.HasKey("Id");
            b.HasIndex("Bucket", "Key").IsUnique();
            b.ToTable("mindora_files");
        });

        modelBuilder.Entity("Mindora.Integrations.Tests.Data.Owner", b =>
        {
            t.Key(b);
            t.VarcharProperty(b, "Name", 100, required: true);
            t.Timestamps(b);
            b.HasKey("Id");
            b.ToTable("owners");
        });

        modelBuilder.Entity("Mindora.Integrations.Tests.Data.Note", b =>
        {
            t.Key(b);
            t.VarcharProperty(b, "Title", 200, required: true);
            t.VarcharProperty(b, "Slug", 100, required: true);
            b.Property<string>("Secret").HasColumnType(t.Text);
            b.Property<int>("Priority").HasColumnType(t.Int);
            b.Property<Guid?>("OwnerId").HasColumnType(t.Guid);
            t.Timestamps(b);
            b.HasKey("Id");
            b.HasIndex("OwnerId");
            b.HasIndex("Slug").IsUnique();
            b.ToTable("notes");
        });

        modelBuilder.Entity("Mindora.Integrations.Tests.Data.Note", b =>
        {
            b.HasOne("Mindora.Integrations.Tests.Data.Owner", "Owner").WithMany().HasForeignKey("OwnerId").OnDelete(DeleteBehavior.Restrict);
            b.Navigation("Owner");
        });
    }
}
