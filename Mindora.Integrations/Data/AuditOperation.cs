namespace Mindora.Integrations.Data;

/// <summary>What happened to an audited entity.</summary>
public enum AuditOperation
{
    /// <summary>It was added.</summary>
    Insert,

    /// <summary>Some of its properties changed.</summary>
    Update,

    /// <summary>It was removed.</summary>
    Delete,
}
