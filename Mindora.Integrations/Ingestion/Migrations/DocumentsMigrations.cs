namespace Mindora.Integrations.Ingestion.Migrations;

/// <summary>The ids of <see cref="DocumentsDb"/>'s migrations, the same on both providers.</summary>
internal static class DocumentsMigrations
{
    public const string Initial = "20261122100000_Documents";
}
