namespace Mindora.Integrations.Data;

/// <summary>
/// Marks a property whose value must never appear in the audit log: its changes are recorded
/// as <c>***</c>, so the log says that it changed but not to what.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class SensitiveAttribute : Attribute
{
    /// <summary>What the audit log records instead of a sensitive value.</summary>
    public const string Mask = "***";
}
