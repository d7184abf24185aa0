namespace Mindora.Integrations.Search;

/// <summary>One page of hits, best first.</summary>
/// <param name="Total">How many documents match in all.</param>
/// <param name="Hits">The requested page of hits.</param>
public sealed record SearchResults(long Total, IReadOnlyList<SearchHit> Hits);
