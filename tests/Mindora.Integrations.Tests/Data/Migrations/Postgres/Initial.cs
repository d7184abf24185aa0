using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Mindora.Integrations.Tests.Data.Migrations.Postgres;

/// <summary>The first migration of the test model on Postgres (see <see cref="NotesSchema"/>).</summary>
[DbContext(typeof(NotesContext))]
[Migration("20261122090000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => NotesSchema.Up(migrationBuilder, ProviderColumnTypes.Postgres);

    protected override void Down(MigrationBuilder migrationBuilder) => NotesSchema.Down(migrationBuilder);
}
