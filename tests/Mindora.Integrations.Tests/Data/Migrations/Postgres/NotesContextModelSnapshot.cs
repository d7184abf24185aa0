using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mindora.Integrations.Tests.Data.Migrations.Postgres;

/// <summary>The test model as its Postgres migrations leave it.</summary>
[DbContext(typeof(NotesContext))]
public sealed class NotesContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) => NotesSchema.BuildModel(modelBuilder, ProviderColumnTypes.Postgres);
}
