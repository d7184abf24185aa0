namespace Mindora.Integrations.Data;

/// <summary>Marks an entity type whose changes are not written to the audit log (high-volume or derived data).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class NotAuditedAttribute : Attribute;
