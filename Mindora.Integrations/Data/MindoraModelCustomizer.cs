using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Mindora.Integrations.Data;

/// <summary>
/// Runs after the context's own <c>OnModelCreating</c>, at run time and design time alike (so
/// migrations see the same model): version 7 keys for <see cref="MindoraEntity"/> types and, on
/// SQLite, sortable text for <see cref="DateTimeOffset"/> values. Neither changes the schema
/// PostgreSQL gets, so one entity model serves both providers.
/// </summary>
internal sealed class MindoraModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        var sqlite = DataProviders.Of(context) == MindoraDataProvider.Sqlite;
        var converter = new SqliteDateTimeOffsetConverter();
        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (entityType.BaseType is null && typeof(MindoraEntity).IsAssignableFrom(entityType.ClrType)
                && entityType.FindProperty(nameof(MindoraEntity.Id)) is { } id && id.IsPrimaryKey())
            {
                id.SetValueGeneratorFactory((_, _) => new GuidV7Generator());
            }

            if (!sqlite)
            {
                continue;
            }

            foreach (var property in entityType.GetDeclaredProperties())
            {
                if ((Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) == typeof(DateTimeOffset)
                    && property.GetValueConverter() is null && property.GetProviderClrType() is null)
                {
                    property.SetValueConverter(converter);
                }
            }
        }
    }
}
