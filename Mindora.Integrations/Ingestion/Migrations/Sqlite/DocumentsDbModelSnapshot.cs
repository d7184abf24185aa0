using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mindora.Integrations.Ingestion.Migrations.Sqlite;

/// <summary>The documents model as its Sqlite migrations leave it.</summary>
[DbContext(typeof(DocumentsDb))]
internal sealed class DocumentsDbModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) => DocumentsSchema.BuildModel(modelBuilder, ProviderColumnTypes.Sqlite);
}
