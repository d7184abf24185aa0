using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Mindora.Integrations.Data;

/// <summary>
/// One compiled no-tracking primary-key query per model and entity type. FindAsync builds and
/// looks up its query expression on every call and then tracks the result; on a read-heavy hot
/// path that is most of EF Core's CPU per lookup, and a compiled query skips both.
/// </summary>
internal static class CompiledKeyLookups
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Entity), object> Lookups = new();

    private static readonly MethodInfo CreateMethod =
        typeof(CompiledKeyLookups).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The entity with key <paramref name="id"/>, detached, or null.</summary>
    public static Task<TEntity?> FindAsync<TEntity>(DbContext db, object id, CancellationToken cancellationToken)
        where TEntity : class
    {
        var lookup = (IKeyLookup<TEntity>)Lookups.GetOrAdd((db.Model, typeof(TEntity)), static key => Build<TEntity>(key.Model));
        return lookup.FindAsync(db, id, cancellationToken);
    }

    private static object Build<TEntity>(IModel model)
        where TEntity : class
    {
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new MindoraValidationException("entity", $"{typeof(TEntity).Name} is not part of this context's model.");
        var key = entityType.FindPrimaryKey()
            ?? throw new MindoraValidationException("entity", $"{entityType.DisplayName()} has no key, so it cannot be read by key.");
        if (key.Properties.Count != 1)
        {
            throw new MindoraValidationException("id", $"{entityType.DisplayName()} has a composite key ({string.Join(", ", key.Properties.Select(p => p.Name))}); read it with a query instead.");
        }

        var property = key.Properties[0];
        return CreateMethod.MakeGenericMethod(typeof(TEntity), property.ClrType).Invoke(null, [property.Name])!;
    }

    private static KeyLookup<TEntity, TKey> Create<TEntity, TKey>(string keyName)
        where TEntity : class
    {
        // (db, id, cancellationToken) => db.Set<TEntity>().AsNoTracking().FirstOrDefault(e => EF.Property<TKey>(e, keyName) == id)
        var db = Expression.Parameter(typeof(DbContext), "db");
        var id = Expression.Parameter(typeof(TKey), "id");
        var entity = Expression.Parameter(typeof(TEntity), "e");
        var keyValue = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(TKey)], entity, Expression.Constant(keyName));
        var matches = Expression.Lambda<Func<TEntity, bool>>(Expression.Equal(keyValue, id), entity);
        var set = Expression.Call(db, nameof(DbContext.Set), [typeof(TEntity)]);
        var untracked = Expression.Call(typeof(EntityFrameworkQueryableExtensions), nameof(EntityFrameworkQueryableExtensions.AsNoTracking), [typeof(TEntity)], set);
        var first = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(TEntity)], untracked, Expression.Quote(matches));
        var cancellation = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var query = Expression.Lambda<Func<DbContext, TKey, CancellationToken, TEntity?>>(first, db, id, cancellation);
        return new KeyLookup<TEntity, TKey>(EF.CompileAsyncQuery(query));
    }

    private interface IKeyLookup<TEntity>
        where TEntity : class
    {
        Task<TEntity?> FindAsync(DbContext db, object id, CancellationToken cancellationToken);
    }

    private sealed class KeyLookup<TEntity, TKey>(Func<DbContext, TKey, CancellationToken, Task<TEntity?>> query) : IKeyLookup<TEntity>
        where TEntity : class
    {
        public Task<TEntity?> FindAsync(DbContext db, object id, CancellationToken cancellationToken) =>
            id is TKey typed
                ? query(db, typed, cancellationToken)
                : throw new MindoraValidationException("id", $"The key of {typeof(TEntity).Name} is a {typeof(TKey).Name}; a {id.GetType().Name} was given.");
    }
}
