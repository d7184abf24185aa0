using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Mindora.Integrations.Data;

/// <summary>
/// Short forms of the common unit of work on any DbContext: get by id, create, update, delete.
/// Each saves at once; unique-key and foreign-key violations arrive as
/// <see cref="MindoraConflictException"/> (on contexts added with <c>AddMindoraDbContext</c>), and
/// a failed call leaves the context as it was, so it can go on being used.
/// </summary>
public static class MindoraDbContextExtensions
{
    /// <summary>The entity with key <paramref name="id"/>, or null (tracked, from memory when already loaded).</summary>
    public static ValueTask<TEntity?> GetByIdAsync<TEntity>(this DbContext db, object id, CancellationToken cancellationToken = default)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(id);
        return db.Set<TEntity>().FindAsync([id], cancellationToken);
    }

    /// <summary>
    /// The entity with key <paramref name="id"/> as a detached copy, or null: a compiled
    /// no-tracking query, the fast path for reads that will not be saved (a request that only
    /// shows the row). It always asks the database, even when the context already tracks the row.
    /// </summary>
    /// <exception cref="MindoraValidationException">The entity has a composite key, or <paramref name="id"/> is not of the key's type.</exception>
    public static Task<TEntity?> GetByIdNoTrackingAsync<TEntity>(this DbContext db, object id, CancellationToken cancellationToken = default)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(id);
        return CompiledKeyLookups.FindAsync<TEntity>(db, id, cancellationToken);
    }

    /// <summary>Adds <paramref name="entity"/> and saves; returns it with its key and timestamps set.</summary>
    /// <exception cref="MindoraConflictException">A unique key or foreign key refused it; nothing was written.</exception>
    public static async Task<TEntity> CreateAsync<TEntity>(this DbContext db, TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entity);
        db.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            db.Entry(entity).State = EntityState.Detached;
            throw;
        }

        return entity;
    }

    /// <summary>
    /// Saves the changes of <paramref name="entity"/>. A tracked entity is saved as it is; a
    /// detached one (from a request body, say) is copied onto the stored row, so only the values
    /// that differ are written and audited. Returns the tracked, saved entity.
    /// </summary>
    /// <exception cref="MindoraNotFoundException">No row has the entity's key (or it was deleted meanwhile).</exception>
    /// <exception cref="MindoraConflictException">A unique key or foreign key refused the change; nothing was written.</exception>
    public static async Task<TEntity> UpdateAsync<TEntity>(this DbContext db, TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entity);
        var entry = db.Entry(entity);
        var target = entity;
        if (entry.State == EntityState.Detached)
        {
            var key = KeyValues(entry);
            target = await db.Set<TEntity>().FindAsync(key, cancellationToken) ?? throw NotFound<TEntity>(key);
            db.Entry(target).CurrentValues.SetValues(entity);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(target).State = EntityState.Detached;
            throw NotFound<TEntity>(KeyValues(db.Entry(target)));
        }
        catch when (!ReferenceEquals(target, entity))
        {
            // The copy made here must not linger half-saved in the context.
            db.Entry(target).State = EntityState.Detached;
            throw;
        }

        return target;
    }

    /// <summary>Deletes the entity with key <paramref name="id"/>; false when there was none.</summary>
    /// <exception cref="MindoraConflictException">Other rows still refer to it; nothing was deleted.</exception>
    public static async Task<bool> DeleteAsync<TEntity>(this DbContext db, object id, CancellationToken cancellationToken = default)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(id);
        var entity = await db.Set<TEntity>().FindAsync([id], cancellationToken);
        if (entity is null)
        {
            return false;
        }

        db.Remove(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else deleted it first.
            db.Entry(entity).State = EntityState.Detached;
            return false;
        }
        catch
        {
            db.Entry(entity).State = EntityState.Unchanged;
            throw;
        }

        return true;
    }

    private static object?[] KeyValues(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey()
            ?? throw new MindoraValidationException("entity", $"{entry.Metadata.DisplayName()} has no key, so it cannot be updated by key.");
        return key.Properties.Select(p => entry.Property(p.Name).CurrentValue).ToArray();
    }

    private static MindoraNotFoundException NotFound<TEntity>(object?[] key) =>
        new($"{typeof(TEntity).Name} with key '{string.Join(", ", key.Select(k => Convert.ToString(k, CultureInfo.InvariantCulture)))}'");
}
