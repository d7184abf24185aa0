namespace Mindora.Integrations.Data;

/// <summary>
/// One change to one entity, written by a Mindora DbContext in the same transaction as the change
/// itself once the model maps it (<c>modelBuilder.MapMindoraAuditLog()</c>). Entries are only
/// ever added.
/// </summary>
public sealed class AuditLogEntry
{
    /// <summary>The entry's key (time-ordered).</summary>
    public Guid Id { get; set; }

    /// <summary>When the change was saved (UTC).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Who made it: the signed-in user, or <c>system</c> (see <see cref="IMindoraCurrentUser"/>).</summary>
    public string UserName { get; set; } = string.Empty;

    /// <summary>What happened.</summary>
    public AuditOperation Operation { get; set; }

    /// <summary>The entity type, e.g. <c>Document</c>.</summary>
    public string EntityType { get; set; } = string.Empty;

    /// <summary>The entity's key: the value itself, or a JSON array for a composite key; null when the database generates it.</summary>
    public string? EntityKey { get; set; }

    /// <summary>
    /// The values as a JSON object: every property for an insert or delete, and
    /// <c>{"Property": {"old": …, "new": …}}</c> for each changed property of an update.
    /// <see cref="SensitiveAttribute">Sensitive</see> values are <c>"***"</c>.
    /// </summary>
    public string Changes { get; set; } = "{}";

    /// <summary>The trace the change was made in, when there was one.</summary>
    public string? TraceId { get; set; }
}
