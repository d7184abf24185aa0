using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Data.Migrations;

/// <summary>
/// The <c>mindora_audit_log</c> table as <see cref="MindoraModelBuilderExtensions.MapMindoraAuditLog"/>
/// maps it, for the hand-written migrations and snapshots of any context that maps it.
/// </summary>
internal static class AuditLogMigration
{
    public const string Table = "mindora_audit_log";

    public static void CreateTable(MigrationBuilder migrationBuilder, ProviderColumnTypes t)
    {
        migrationBuilder.CreateTable(
            name: Table,
            columns: table => new
            {
                Id = table.Column<Guid>(type: t.Guid, nullable: false),
                OccurredAt = t.TimeColumn(table),
                UserName = table.Column<string>(type: t.Varchar(AuditLimits.UserName), maxLength: AuditLimits.UserName, nullable: false),
                Operation = table.Column<string>(type: t.Varchar(16), maxLength: 16, nullable: false),
                EntityType = table.Column<string>(type: t.Varchar(AuditLimits.EntityType), maxLength: AuditLimits.EntityType, nullable: false),
                EntityKey = table.Column<string>(type: t.Varchar(AuditLimits.EntityKey), maxLength: AuditLimits.EntityKey, nullable: true),
                Changes = table.Column<string>(type: t.Text, nullable: false),
                TraceId = table.Column<string>(type: t.Varchar(32), maxLength: 32, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_" + Table, x => x.Id));
        migrationBuilder.CreateIndex($"IX_{Table}_EntityType_EntityKey", Table, ["EntityType", "EntityKey"]);
        migrationBuilder.CreateIndex($"IX_{Table}_OccurredAt", Table, "OccurredAt");
    }

    public static void Snapshot(ModelBuilder modelBuilder, ProviderColumnTypes t) =>
        modelBuilder.Entity(typeof(AuditLogEntry).FullName!, b =>
        {
            t.Key(b);
            t.TimeProperty(b, "OccurredAt");
            t.VarcharProperty(b, "UserName", AuditLimits.UserName, required: true);
            t.VarcharProperty(b, "Operation", 16, required: true);
            t.VarcharProperty(b, "EntityType", AuditLimits.EntityType, required: true);
            t.VarcharProperty(b, "EntityKey", AuditLimits.EntityKey, required: false);
            b.Property<string>("Changes").IsRequired().HasColumnType(t.Text);
            t.VarcharProperty(b, "TraceId", 32, required: false);
            b.HasKey("Id");
            b.HasIndex("OccurredAt");
            b.HasIndex("EntityType", "EntityKey");
            b.ToTable(Table);
        });
}
