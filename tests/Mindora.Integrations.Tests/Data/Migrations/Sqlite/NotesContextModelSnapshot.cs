using Mindora.Integrations.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mindora.Integrations.Tests.Data.Migrations.Sqlite;

/// <summary>The test model as its Sqlite migrations leave it.</summary>
[DbContext(typeof(NotesContext))]
public sealed class NotesContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) => NotesSchema.BuildModel(modelBuilder, ProviderColumnTypes.Sqlite);
}
