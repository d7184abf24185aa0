using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Ingestion.Migrations.Sqlite;

/// <summary>The documents table and the audit log on Sqlite (see <see cref="DocumentsSchema"/>).</summary>
[DbContext(typeof(DocumentsDb))]
[Migration(DocumentsMigrations.Initial)]
internal sealed class Documents : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => DocumentsSchema.Up(migrationBuilder, ProviderColumnTypes.Sqlite);

    protected override void Down(MigrationBuilder migrationBuilder) => DocumentsSchema.Down(migrationBuilder);
}
