using Microsoft.EntityFrameworkCore;
using Mindora.Integrations.Data;

namespace Mindora.Integrations.Tests.Data;

/// <summary>
/// The Data capability's behaviour, written once and run per provider: the subclasses give a
/// fresh app on a real PostgreSQL server and an embedded SQLite directory. Every test uses its
/// own app, so no test sees another's rows.
/// </summary>
public abstract partial class DataSuite
{
    protected const string InitialMigration = "20261122090000_Initial";

    /// <summary>What a conflict message names for the unique index on <c>notes.Slug</c>.</summary>
    protected abstract string SlugConstraint { get; }

    /// <summary>What a conflict message names for the foreign key <c>notes.OwnerId</c>.</summary>
    protected abstract string OwnerConstraint { get; }

    /// <summary>The <c>db.system</c> command spans carry.</summary>
    protected abstract string DbSystem { get; }

    /// <summary>A fresh app and its connection string.</summary>
    protected abstract Task<DataTarget> NewTargetAsync();

    /// <summary>An app whose database cannot be used (a wrong password; a file where the directory should be).</summary>
    protected abstract Task<DataTarget> UnusableTargetAsync();

    /// <summary>Cuts the connection under <paramref name="db"/> the way a crash or a network fault would.</summary>
    protected abstract Task InterruptConnectionAsync(NotesContext db);

    private protected async Task<DataHost> StartAsync(Action<MindoraDataOptions>? configure = null, TimeProvider? time = null, IMindoraCurrentUser? user = null) =>
        await DataHost.StartAsync(await NewTargetAsync(), configure, time, user);

    private protected static Task<List<string>> TitlesAsync(DataHost host) =>
        host.WithDbAsync(db => db.Notes.AsNoTracking().OrderBy(n => n.Title).Select(n => n.Title).ToListAsync());

    private protected static Task<List<AuditLogEntry>> AuditAsync(DataHost host) =>
        host.WithDbAsync(db => db.AuditLog.AsNoTracking().OrderBy(a => a.OccurredAt).ToListAsync());
}
