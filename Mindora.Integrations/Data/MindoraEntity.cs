namespace Mindora.Integrations.Data;

/// <summary>
/// A base for entities with a <see cref="Guid"/> key and automatic timestamps. A Mindora
/// DbContext gives a new entity a time-ordered (version 7) id and sets <see cref="CreatedAt"/>
/// and <see cref="UpdatedAt"/> when it is saved, in UTC with microsecond precision (what
/// PostgreSQL stores, so a value reads back exactly as it was written).
/// </summary>
public abstract class MindoraEntity
{
    /// <summary>The key; assigned when the entity is added unless set.</summary>
    public Guid Id { get; set; }

    /// <summary>When the entity was first saved (UTC). Never changed by later saves.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the entity was last saved (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
