using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations.Files;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Tasks;

namespace DocumentProcessor.Tests;

/// <summary>
/// What the app has stored: the object keys of its documents bucket, the blob files behind them,
/// every task of the app, the rows of its documents table and the number of audit rows.
/// Comparing two snapshots proves an upload left nothing behind.
/// </summary>
internal sealed record StoreSnapshot(IReadOnlyList<string> ObjectKeys, IReadOnlyList<string> BlobFiles, IReadOnlyList<TaskInfo> Tasks, IReadOnlyList<string> DocumentRows, int AuditRows)
{
    public static async Task<StoreSnapshot> TakeAsync(IServiceProvider services, TestStore store)
    {
        var files = services.GetRequiredService<IMindoraFiles>();
        var keys = new List<string>();
        await foreach (var info in files.ListAsync(DocumentCatalog.Bucket))
        {
            keys.Add(info.Key);
        }

        var blobs = Directory.Exists(store.DocumentBlobDirectory)
            ? Directory.GetFiles(store.DocumentBlobDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

        var queue = services.GetRequiredService<ITaskQueue>();
        var tasks = new List<TaskInfo>();
        foreach (var status in Enum.GetValues<MindoraTaskStatus>())
        {
            tasks.AddRange(await queue.ListAsync(status, 1000));
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DocumentsDb>();
        var rows = (await db.Documents.Select(d => d.Id).ToListAsync()).Select(id => id.ToString("N")).Order(StringComparer.Ordinal).ToList();
        return new StoreSnapshot(keys, blobs, tasks, rows, await db.AuditLog.CountAsync());
    }

    /// <summary>Asserts that nothing was added or removed since <paramref name="before"/>.</summary>
    public static async Task AssertUnchangedAsync(StoreSnapshot before, IServiceProvider services, TestStore store)
    {
        ArgumentNullException.ThrowIfNull(before);
        var after = await TakeAsync(services, store);
        Assert.Equal(before.ObjectKeys, after.ObjectKeys);
        Assert.Equal(before.BlobFiles, after.BlobFiles);
        Assert.Equal(before.Tasks.Select(t => t.Id).Order(StringComparer.Ordinal), after.Tasks.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Equal(before.DocumentRows, after.DocumentRows);
        Assert.Equal(before.AuditRows, after.AuditRows);
    }
}
