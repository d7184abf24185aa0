using Microsoft.EntityFrameworkCore;

namespace Mindora.Integrations.Data;

/// <summary>Keyset paging in a stable order, on PostgreSQL and SQLite alike.</summary>
public static class MindoraPagingExtensions
{
    /// <summary>The largest page <see cref="ToPageAsync{T}"/> returns.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>
    /// One page of <paramref name="query"/> (filter it first) ordered by
    /// <see cref="MindoraEntity.CreatedAt"/>, then <see cref="MindoraEntity.Id"/>. The page after
    /// a cursor starts right after that entity, so rows added or removed meanwhile never make a
    /// row appear twice or be skipped, and no page costs more than the first one.
    /// </summary>
    /// <param name="query">The filtered query; its own ordering is replaced.</param>
    /// <param name="pageSize">1 to <see cref="MaxPageSize"/>.</param>
    /// <param name="after">The previous page's <see cref="MindoraPage{T}.NextCursor"/>, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="MindoraValidationException">The page size is out of range or the cursor is not one this method made.</exception>
    public static async Task<MindoraPage<T>> ToPageAsync<T>(this IQueryable<T> query, int pageSize, string? after = null, CancellationToken cancellationToken = default)
        where T : MindoraEntity
    {
        ArgumentNullException.ThrowIfNull(query);
        if (pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new MindoraValidationException(nameof(pageSize), $"Invalid page size {pageSize}: allowed is 1 to {MaxPageSize}.");
        }

        if (after is not null)
        {
            var (createdAt, id) = PageCursor.Decode(after);
            query = query.Where(e => e.CreatedAt > createdAt || (e.CreatedAt == createdAt && e.Id.CompareTo(id) > 0));
        }

        var items = await query.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(pageSize);
            next = PageCursor.Encode(items[^1].CreatedAt, items[^1].Id);
        }

        return new MindoraPage<T>(items, next);
    }
}
