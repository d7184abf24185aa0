using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mindora.Integrations.Ingestion.Migrations.Postgres;

/// <summary>The documents model as its Postgres migrations leave it.</summary>
[DbContext(typeof(DocumentsDb))]
internal sealed class DocumentsDbModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) => DocumentsSchema.BuildModel(modelBuilder, ProviderColumnTypes.Postgres);
}
