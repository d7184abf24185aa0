namespace Mindora.Integrations.Files;

/// <summary>One page of a listing.</summary>
/// <param name="Items">The objects of this page, in ordinal key order.</param>
/// <param name="ContinuationToken">Pass it to get the next page; null when this is the last page.</param>
public sealed record ObjectPage(IReadOnlyList<ObjectInfo> Items, string? ContinuationToken);
