using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Mindora.Integrations.Data;

/// <summary>
/// Bulk insert on PostgreSQL through binary <c>COPY … FROM STDIN</c>: rows and their audit rows
/// stream in one transaction, so either all of them are there or none. Column names, types and
/// value conversions come from the EF Core model; values travel in binary, never as SQL text.
/// </summary>
internal static partial class PostgresBulkCopy
{
    /// <summary>True when every column of the entity type maps to one CLR property of one table (no owned, complex, shadow or inherited parts).</summary>
    public static bool CanCopy(IEntityType entityType) =>
        entityType.GetTableName() is not null
        && entityType.BaseType is null
        && !entityType.GetDirectlyDerivedTypes().Any()
        && !entityType.GetMappingFragments().Any()
        && !entityType.GetComplexProperties().Any()
        && !entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
        && entityType.GetProperties().All(p => !p.IsShadowProperty());

    /// <summary>The properties written: all but those the database generates (identity, defaults, computed).</summary>
    public static List<IProperty> Columns(IEntityType entityType) =>
        entityType.GetProperties()
            .Where(p => p.GetComputedColumnSql() is null
                && (p.ValueGenerated == ValueGenerated.Never || (p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(Guid))))
            .ToList();

    /// <summary>Copies <paramref name="rows"/> into the entity type's table over the context's open connection and transaction.</summary>
    public static async Task CopyAsync(DbContext db, IEntityType entityType, IReadOnlyList<IProperty> columns, IEnumerable<object> rows, CancellationToken cancellationToken)
    {
        var tableName = entityType.GetTableName()!;
        var schema = entityType.GetSchema();
        var table = StoreObjectIdentifier.Table(tableName, schema);
        var target = schema is null ? Quote(tableName) : $"{Quote(schema)}.{Quote(tableName)}";
        var sql = $"COPY {target} ({string.Join(", ", columns.Select(c => Quote(c.GetColumnName(table)!)))}) FROM STDIN (FORMAT BINARY)";
        var writers = columns.Select(Writer).ToArray();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var (read, dataTypeName) in writers)
            {
                if (read(row) is { } value)
                {
                    await importer.WriteAsync(value, dataTypeName, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>How one column's value is read from an entity and which PostgreSQL type it is sent as.</summary>
    private static (Func<object, object?> Read, string DataTypeName) Writer(IProperty property)
    {
        var getter = property.GetGetter();
        var mapping = property.GetRelationalTypeMapping();
        var converter = mapping.Converter;
        Func<object, object?> read = converter is null
            ? getter.GetClrValueUsingContainingEntity
            : entity => getter.GetClrValueUsingContainingEntity(entity) is { } value ? converter.ConvertToProvider(value) : null;

        // "character varying(200)" → "character varying": the binary format has no length.
        return (read, TypeModifier().Replace(mapping.StoreType, string.Empty).Trim());
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"\(\s*\d+(\s*,\s*\d+)?\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex TypeModifier();
}
