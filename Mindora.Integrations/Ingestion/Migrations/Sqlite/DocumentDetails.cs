using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Ingestion.Migrations.Sqlite;

/// <summary>A document's tags, chunk count and steps on Sqlite (see <see cref="DocumentsSchema.UpDetails"/>).</summary>
[DbContext(typeof(DocumentsDb))]
[Migration(DocumentsMigrations.Details)]
internal sealed class DocumentDetails : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => DocumentsSchema.UpDetails(migrationBuilder, ProviderColumnTypes.Sqlite);

    protected override void Down(MigrationBuilder migrationBuilder) => DocumentsSchema.DownDetails(migrationBuilder);
}
