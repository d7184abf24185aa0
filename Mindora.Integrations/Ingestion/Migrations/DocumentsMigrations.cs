namespace Mindora.Integrations.Ingestion.Migrations;

/// <summary>The ids of <see cref="DocumentsDb"/>'s migrations, the same on both providers.</summary>
internal static class DocumentsMigrations
{
    public const string Initial = "20261122100000_Documents";

    public const string Details = "20261122110000_DocumentDetails";

    /// <summary>Every migration, in the order they apply.</summary>
    public static readonly IReadOnlyList<string> All = [Initial, Details];
}
