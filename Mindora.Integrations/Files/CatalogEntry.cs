namespace Mindora.Integrations.Files;

/// <summary>A catalog row: the object's description and the name of the blob file holding it.</summary>
internal sealed record CatalogEntry(ObjectInfo Info, string Blob);
