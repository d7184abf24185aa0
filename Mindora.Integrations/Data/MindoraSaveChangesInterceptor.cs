using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mindora.Integrations.Data;

/// <summary>
/// What every save of a Mindora DbContext does: stamps <see cref="MindoraEntity"/> timestamps,
/// adds one <see cref="AuditLogEntry"/> per changed entity to the same save (so the rows commit
/// or roll back with the change, in its transaction), and reports unique-key and foreign-key
/// violations as <see cref="MindoraConflictException"/>.
/// </summary>
internal sealed class MindoraSaveChangesInterceptor(IMindoraCurrentUser currentUser, TimeProvider time) : SaveChangesInterceptor
{
    public IMindoraCurrentUser CurrentUser => currentUser;

    public TimeProvider Time => time;

    public SensitiveProperties Sensitive { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Prepare(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Prepare(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        // Throws synchronously on purpose: EF Core calls this inside its catch block, so the
        // thrown conflict replaces the provider's exception.
        Failed(eventData);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => ForgetAuditRows(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetAuditRows(eventData.Context);
        return Task.CompletedTask;
    }

    private void Prepare(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = DataClock.Now(time);
        var model = context.Model;
        List<AuditLogEntry>? rows = null;
        string? user = null;

        // Entries() detects changes first, so entities changed in place are seen as Modified.
        foreach (var entry in context.ChangeTracker.Entries().ToList())
        {
            if (entry.Entity is MindoraEntity)
            {
                Stamp(entry, now);
            }

            if ((entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) && AuditEntries.IsAudited(model, entry.Metadata))
            {
                user ??= AuditEntries.ClampUser(currentUser.UserName);
                if (AuditEntries.FromEntry(entry, user, now, Sensitive) is { } row)
                {
                    (rows ??= []).Add(row);
                }
            }
        }

        if (rows is not null)
        {
            context.Set<AuditLogEntry>().AddRange(rows);
        }
    }

    private static void Stamp(EntityEntry entry, DateTimeOffset now)
    {
        var created = entry.Property(nameof(MindoraEntity.CreatedAt));
        var updated = entry.Property(nameof(MindoraEntity.UpdatedAt));
        switch (entry.State)
        {
            case EntityState.Added:
                // An explicit creation time (an import of older data) is kept.
                if (created.CurrentValue is not DateTimeOffset given || given == default)
                {
                    created.CurrentValue = now;
                }

                updated.CurrentValue = now;
                break;
            case EntityState.Modified:
                updated.CurrentValue = now;
                if (created.IsModified)
                {
                    // The creation time is the database's record; an update never moves it.
                    created.CurrentValue = created.OriginalValue;
                    created.IsModified = false;
                }

                break;
        }
    }

    private static void Failed(DbContextErrorEventData eventData)
    {
        ForgetAuditRows(eventData.Context);
        if (ConflictTranslator.TryTranslate(eventData.Exception) is { } conflict)
        {
            throw conflict;
        }
    }

    /// <summary>Audit rows of a failed save must not ride along with the next one.</summary>
    private static void ForgetAuditRows(DbContext? context)
    {
        if (context?.Model.FindEntityType(typeof(AuditLogEntry)) is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<AuditLogEntry>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
