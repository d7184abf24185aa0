using Microsoft.EntityFrameworkCore;

namespace Mindora.Integrations.Data;

/// <summary>Units of work that commit whole or not at all, retried as a whole on transient faults.</summary>
public static class MindoraTransactionExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction under the context's retrying strategy. A
    /// transient fault (a dropped connection mid-transaction, a busy SQLite file) rolls back
    /// everything and runs <paramref name="work"/> again from the start, with the change tracker
    /// cleared, so it must load what it changes itself. Any other failure rolls back, clears
    /// the change tracker and is rethrown. Inside a transaction already open on the context,
    /// <paramref name="work"/> simply joins it.
    /// </summary>
    public static async Task<T> ExecuteInTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        if (db.Database.CurrentTransaction is not null)
        {
            return await work(cancellationToken);
        }

        var attempts = 0;
        try
        {
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(
                async ct =>
                {
                    if (attempts++ > 0)
                    {
                        // Whatever the failed attempt tracked was rolled back in the database.
                        db.ChangeTracker.Clear();
                    }

                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var result = await work(ct);
                    await transaction.CommitAsync(ct);
                    return result;
                },
                cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <inheritdoc cref="ExecuteInTransactionAsync{T}(DbContext, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public static Task ExecuteInTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return db.ExecuteInTransactionAsync<bool>(
            async ct =>
            {
                await work(ct);
                return true;
            },
            cancellationToken);
    }
}
