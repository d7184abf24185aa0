namespace Mindora.Integrations.Data;

/// <summary>Column sizes of the audit log; longer values are cut so an audit row never fails a save.</summary>
internal static class AuditLimits
{
    public const int UserName = 200;
    public const int EntityType = 200;
    public const int EntityKey = 400;
}
