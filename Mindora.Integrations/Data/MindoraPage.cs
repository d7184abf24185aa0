namespace Mindora.Integrations.Data;

/// <summary>One page of a keyset-paged query.</summary>
/// <typeparam name="T">The entity type.</typeparam>
/// <param name="Items">The entities of this page, in (CreatedAt, Id) order.</param>
/// <param name="NextCursor">Pass it as <c>after</c> to get the next page; null on the last page.</param>
public sealed record MindoraPage<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>True when another page follows.</summary>
    public bool HasMore => NextCursor is not null;
}
