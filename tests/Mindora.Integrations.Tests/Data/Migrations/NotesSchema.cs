using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;

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
    public static void Up(MigrationBuilder migrationBuilder, NotesColumnTypes t)
    {
        migrationBuilder.CreateTable(
            name: "owners",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                Name = table.Column<string>(type: t.Varchar(100), maxLength: 100, nullable: false),
                CreatedAt = Time(table, t),
                UpdatedAt = Time(table, t),
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
                CreatedAt = Time(table, t),
                UpdatedAt = Time(table, t),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_notes", x => x.Id);
                table.ForeignKey("FK_notes_owners_OwnerId", x => x.OwnerId, "owners", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "mindora_audit_log",
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                OccurredAt = Time(table, t),
                UserName = table.Column<string>(type: t.Varchar(200), maxLength: 200, nullable: false),
                Operation = table.Column<string>(type: t.Varchar(16), maxLength: 16, nullable: false),
                EntityType = table.Column<string>(type: t.Varchar(200), maxLength: 200, nullable: false),
                EntityKey = table.Column<string>(type: t.Varchar(400), maxLength: 400, nullable: true),
                Changes = table.Column<string>(type: t.Text, nullable: false),
                TraceId = table.Column<string>(type: t.Varchar(32), maxLength: 32, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_mindora_audit_log", x => x.Id));

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
                CreatedAt = Time(table, t),
                UpdatedAt = Time(table, t),
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
                CreatedAt = Time(table, t),
                UpdatedAt = Time(table, t),
            },
            constraints: table => table.PrimaryKey("PK_mindora_ai_results", x => x.Id));

        migrationBuilder.CreateIndex("IX_notes_OwnerId", "notes", "OwnerId");
        migrationBuilder.CreateIndex("IX_notes_Slug", "notes", "Slug", unique: true);
        migrationBuilder.CreateIndex("IX_mindora_audit_log_EntityType_EntityKey", "mindora_audit_log", ["EntityType", "EntityKey"]);
        migrationBuilder.CreateIndex("IX_mindora_audit_log_OccurredAt", "mindora_audit_log", "OccurredAt");
        migrationBuilder.CreateIndex("IX_mindora_files_Bucket_Key", "mindora_files", ["Bucket", "Key"], unique: true);
        migrationBuilder.CreateIndex("IX_mindora_ai_results_InputRef", "mindora_ai_results", "InputRef");
        migrationBuilder.CreateIndex("IX_mindora_ai_results_Status_CreatedAt", "mindora_ai_results", ["Status", "CreatedAt"]);
    }

    public static void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("notes");
        migrationBuilder.DropTable("owners");
        migrationBuilder.DropTable("mindora_audit_log");
        migrationBuilder.DropTable("mindora_files");
        migrationBuilder.DropTable("mindora_ai_results");
    }

    public static void BuildModel(ModelBuilder modelBuilder, NotesColumnTypes t)
    {
        modelBuilder.HasAnnotation("ProductVersion", "10.0.14");
        if (t == NotesColumnTypes.Postgres)
        {
            modelBuilder.HasAnnotation("Relational:MaxIdentifierLength", 63);
        }

        modelBuilder.Entity("Mindora.Integrations.Data.AiProcessingResult", b =>
        {
            Key(b, t);
            Varchar(b, t, "InputRef", 1024, required: true);
            Varchar(b, t, "Model", 200, required: true);
            b.Property<string>("Prompt").HasColumnType(t.Text);
            b.Property<string>("Response").HasColumnType(t.Text);
            b.Property<int?>("PromptTokens").HasColumnType(t.Int);
            b.Property<int?>("CompletionTokens").HasColumnType(t.Int);
            b.Property<int?>("LatencyMilliseconds").HasColumnType(t.Int);
            Varchar(b, t, "Status", 16, required: true);
            b.Property<string>("Error").HasColumnType(t.Text);
            Timestamps(b, t);
            b.HasKey("Id");
            b.HasIndex("InputRef");
            b.HasIndex("Status", "CreatedAt");
            b.ToTable("mindora_ai_results");
        });

        modelBuilder.Entity("Mindora.Integrations.Data.AuditLogEntry", b =>
        {
            Key(b, t);
            Time(b, t, "OccurredAt");
            Varchar(b, t, "UserName", 200, required: true);
            Varchar(b, t, "Operation", 16, required: true);
            Varchar(b, t, "EntityType", 200, required: true);
            Varchar(b, t, "EntityKey", 400, required: false);
            b.Property<string>("Changes").IsRequired().HasColumnType(t.Text);
            Varchar(b, t, "TraceId", 32, required: false);
            b.HasKey("Id");
            b.HasIndex("OccurredAt");
            b.HasIndex("EntityType", "EntityKey");
            b.ToTable("mindora_audit_log");
        });

        modelBuilder.Entity("Mindora.Integrations.Data.FileRecord", b =>
        {
            Key(b, t);
            Varchar(b, t, "Bucket", 63, required: true);
            Varchar(b, t, "Key", 1024, required: true);
            Varchar(b, t, "FileName", 255, required: true);
            Varchar(b, t, "ContentType", 255, required: true);
            b.Property<long>("SizeBytes").HasColumnType(t.Long);
            Varchar(b, t, "Sha256", 64, required: false);
            Varchar(b, t, "UploadedBy", 200, required: false);
            Timestamps(b, t);
            b.HasKey("Id");
            b.HasIndex("Bucket", "Key").IsUnique();
            b.ToTable("mindora_files");
        });

        modelBuilder.Entity("Mindora.Integrations.Tests.Data.Owner", b =>
        {
            Key(b, t);
            Varchar(b, t, "Name", 100, required: true);
            Timestamps(b, t);
            b.HasKey("Id");
            b.ToTable("owners");
        });

        modelBuilder.Entity("Mindora.Integrations.Tests.Data.Note", b =>
        {
            Key(b, t);
            Varchar(b, t, "Title", 200, required: true);
            Varchar(b, t, "Slug", 100, required: true);
            b.Property<string>("Secret").HasColumnType(t.Text);
            b.Property<int>("Priority").HasColumnType(t.Int);
            b.Property<Guid?>("OwnerId").HasColumnType(t.Guid);
            Timestamps(b, t);
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

    private static OperationBuilder<AddColumnOperation> Time(ColumnsBuilder table, NotesColumnTypes t) =>
        t.TimeClr == typeof(string)
            ? table.Column<string>(type: t.Time, nullable: false)
            : table.Column<DateTimeOffset>(type: t.Time, nullable: false);

    private static void Key(EntityTypeBuilder b, NotesColumnTypes t) =>
        b.Property<Guid>("Id").ValueGeneratedOnAdd().HasColumnType(t.Guid);

    private static void Varchar(EntityTypeBuilder b, NotesColumnTypes t, string name, int length, bool required)
    {
        var property = b.Property<string>(name).HasMaxLength(length).HasColumnType(t.Varchar(length));
        if (required)
        {
            property.IsRequired();
        }
    }

    private static void Time(EntityTypeBuilder b, NotesColumnTypes t, string name) =>
        b.Property(t.TimeClr, name).IsRequired().HasColumnType(t.Time);

    private static void Timestamps(EntityTypeBuilder b, NotesColumnTypes t)
    {
        Time(b, t, "CreatedAt");
        Time(b, t, "UpdatedAt");
    }
}
