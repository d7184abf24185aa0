namespace Mindora.Integrations.Files;

/// <summary>A catalog row: one version's description and the blob file holding it (null for a delete marker).</summary>
internal sealed record CatalogEntry(ObjectInfo Info, string? Blob, long Seq)
{
    public bool IsDeleteMarker => Blob is null;
}
