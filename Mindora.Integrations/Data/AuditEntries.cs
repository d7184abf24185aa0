using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Mindora.Integrations.Data;

/// <summary>Builds audit rows: who, which entity and key, which operation, and the values as JSON with sensitive ones masked.</summary>
internal static class AuditEntries
{
    /// <summary>True when the model maps the audit log and <paramref name="entityType"/> is audited.</summary>
    public static bool IsAudited(IModel model, IReadOnlyEntityType entityType) =>
        entityType.ClrType != typeof(AuditLogEntry)
        && !entityType.ClrType.IsDefined(typeof(NotAuditedAttribute), inherit: true)
        && model.FindEntityType(typeof(AuditLogEntry)) is not null;

    /// <summary>The row for a tracked change, or null when an update changed nothing worth recording.</summary>
    public static AuditLogEntry? FromEntry(EntityEntry entry, string user, DateTimeOffset now, SensitiveProperties sensitive)
    {
        var operation = entry.State switch
        {
            EntityState.Added => AuditOperation.Insert,
            EntityState.Modified => AuditOperation.Update,
            EntityState.Deleted => AuditOperation.Delete,
            _ => (AuditOperation?)null,
        };
        if (operation is not { } op)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        var written = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in entry.Properties)
            {
                var metadata = property.Metadata;
                var masked = sensitive.IsSensitive(metadata);
                if (op == AuditOperation.Update)
                {
                    if (!property.IsModified || IsUpdatedAt(metadata) || metadata.GetValueComparer().Equals(property.OriginalValue, property.CurrentValue))
                    {
                        continue;
                    }

                    json.WriteStartObject(metadata.Name);
                    WriteValue(json, "old", property.OriginalValue, masked);
                    WriteValue(json, "new", property.CurrentValue, masked);
                    json.WriteEndObject();
                }
                else
                {
                    WriteValue(json, metadata.Name, op == AuditOperation.Delete ? property.OriginalValue : property.CurrentValue, masked);
                }

                written++;
            }

            json.WriteEndObject();
        }

        if (op == AuditOperation.Update && written == 0)
        {
            return null;
        }

        return Create(entry.Metadata, op, Key(entry, op), Encoding.UTF8.GetString(buffer.WrittenSpan), user, now);
    }

    /// <summary>The insert row for an entity written without change tracking (bulk insert).</summary>
    public static AuditLogEntry ForInsert(IEntityType entityType, IReadOnlyList<IProperty> columns, object entity, string user, DateTimeOffset now, SensitiveProperties sensitive)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in columns)
            {
                WriteValue(json, property.Name, property.GetGetter().GetClrValueUsingContainingEntity(entity), sensitive.IsSensitive(property));
            }

            json.WriteEndObject();
        }

        var keyProperties = entityType.FindPrimaryKey()?.Properties ?? [];
        string? key = keyProperties.All(columns.Contains)
            ? FormatKey(keyProperties.Select(p => p.GetGetter().GetClrValueUsingContainingEntity(entity)).ToList())
            : null;
        return Create(entityType, AuditOperation.Insert, key, Encoding.UTF8.GetString(buffer.WrittenSpan), user, now);
    }

    /// <summary>Cuts a user name to the column's size.</summary>
    public static string ClampUser(string? user) =>
        string.IsNullOrWhiteSpace(user) ? HttpContextCurrentUser.System : Clamp(user, AuditLimits.UserName)!;

    private static AuditLogEntry Create(IReadOnlyEntityType entityType, AuditOperation operation, string? key, string changes, string user, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OccurredAt = now,
        UserName = user,
        Operation = operation,
        EntityType = Clamp(entityType.DisplayName(), AuditLimits.EntityType)!,
        EntityKey = Clamp(key, AuditLimits.EntityKey),
        Changes = changes,
        TraceId = Activity.Current?.TraceId.ToHexString(),
    };

    private static string? Key(EntityEntry entry, AuditOperation operation)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null)
        {
            return null;
        }

        var values = new List<object?>(key.Properties.Count);
        foreach (var property in key.Properties)
        {
            var value = entry.Property(property.Name);
            if (value.IsTemporary)
            {
                // The database assigns it during this very save; the row is written before that.
                return null;
            }

            values.Add(operation == AuditOperation.Delete ? value.OriginalValue : value.CurrentValue);
        }

        return FormatKey(values);
    }

    private static string? FormatKey(List<object?> values)
    {
        if (values.Count == 1)
        {
            return Convert.ToString(values[0], CultureInfo.InvariantCulture);
        }

        return values.Count == 0 ? null : JsonSerializer.Serialize(values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
    }

    private static bool IsUpdatedAt(IReadOnlyProperty property) =>
        property.Name == nameof(MindoraEntity.UpdatedAt) && typeof(MindoraEntity).IsAssignableFrom(property.DeclaringType.ClrType);

    private static void WriteValue(Utf8JsonWriter json, string name, object? value, bool masked)
    {
        json.WritePropertyName(name);
        if (value is null)
        {
            json.WriteNullValue();
        }
        else if (masked)
        {
            json.WriteStringValue(SensitiveAttribute.Mask);
        }
        else
        {
            try
            {
                JsonSerializer.Serialize(json, value, value.GetType());
            }
            catch (NotSupportedException)
            {
                // A type JSON cannot write (a cycle, a delegate) must not fail the save it audits.
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }
    }

    private static string? Clamp(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];
}
