using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Extractors;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// The API side of document ingestion, in its own "process": a host with
/// <c>AddMindoraDocuments()</c> over the worker's directory (and its database) that stores
/// documents the way the DocumentProcessor API does (resolve the type, store the original, save
/// a Queued record, enqueue extract-text), plus a <see cref="MindoraClient"/> to look at tasks,
/// objects and the index.
/// </summary>
internal sealed class DocumentUploads : IAsyncDisposable
{
    private const long MaxBytes = 1024 * 1024;

    private DocumentUploads(RunningHost host, MindoraClient client, DocumentTypes types)
    {
        Host = host;
        Client = client;
        Types = types;
    }

    public RunningHost Host { get; }

    public MindoraClient Client { get; }

    public DocumentCatalog Catalog => Host.Get<DocumentCatalog>();

    public DocumentTypes Types { get; }

    public ITaskQueue Tasks => Client.Tasks;

    /// <summary>
    /// Starts the API side for <paramref name="app"/> over <paramref name="directory"/>; the
    /// documents database is the directory's SQLite file unless <paramref name="database"/> names
    /// another (a PostgreSQL app's connection string). Its migrations are applied at start.
    /// </summary>
    public static async Task<DocumentUploads> StartAsync(string directory, IDocumentTextExtractor? extra = null, string app = WorkerHosts.App, string? database = null)
    {
        var builder = WorkerHosts.CreateBuilder(directory, app, null, Settings(database));
        builder.AddMindoraDocuments();
        var host = await builder.StartAsync();
        var connection = MindoraConnectionString.ForEmbedded(directory);
        var client = MindoraClient.Create(app, new Dictionary<string, string>
        {
            ["files"] = connection,
            ["redis"] = connection,
            ["elasticsearch"] = connection,
        });
        IDocumentTextExtractor[] extractors = extra is null
            ? [new PlainTextExtractor(), new OfficeDocumentExtractor(), new PdfExtractor()]
            : [new PlainTextExtractor(), new OfficeDocumentExtractor(), new PdfExtractor(), extra];
        return new DocumentUploads(host, client, new DocumentTypes(extractors));
    }

    /// <summary>The settings that point a host at <paramref name="database"/> instead of the directory's SQLite file.</summary>
    public static (string Key, string Value)[] Settings(string? database) =>
        database is null ? [] : [("ConnectionStrings:db", database)];

    /// <summary>Stores a document and enqueues its extraction; <paramref name="validate"/> false skips the upload-time check (as a client that bypasses the API would).</summary>
    public async Task<(DocumentRecord Record, TaskInfo Task)> UploadAsync(string fileName, byte[] bytes, string? declaredType = "application/octet-stream", bool validate = true, EnqueueOptions? options = null)
    {
        await Catalog.EnsureCreatedAsync();
        var (extractor, contentType) = Types.Resolve(fileName, declaredType);
        if (validate)
        {
            await extractor.ValidateAsync(new MemoryStream(bytes), CancellationToken.None);
        }

        var id = DocumentCatalog.NewId();
        var stored = await Catalog.StoreOriginalAsync(id, new MemoryStream(bytes), contentType, MaxBytes);
        var now = DateTimeOffset.UtcNow;
        var record = await Catalog.SaveAsync(new DocumentRecord(id, Path.GetFileNameWithoutExtension(fileName), fileName, contentType, stored.Size, stored.Sha256, DocumentStatus.Queued, null, now, now));
        var task = await Tasks.EnqueueAsync(
            IngestionTaskNames.ExtractText,
            new DocumentTaskPayload(id),
            options ?? new EnqueueOptions { Priority = TaskPriority.High, IdempotencyKey = $"{IngestionTaskNames.ExtractText}:{id}" });
        return (record, task);
    }

    /// <summary>Waits until the document is Indexed or Failed (or <paramref name="until"/> holds).</summary>
    public Task<DocumentRecord> WaitForDocumentAsync(string id, Func<DocumentRecord, bool>? until = null) =>
        Poll.UntilAsync(
            () => Catalog.GetAsync(id),
            until ?? (r => r.Status is DocumentStatus.Indexed or DocumentStatus.Failed),
            $"document {id}");

    /// <summary>This app's tasks of one name, in every status.</summary>
    public async Task<IReadOnlyList<TaskInfo>> TasksNamedAsync(string name)
    {
        var all = new List<TaskInfo>();
        foreach (var status in Enum.GetValues<MindoraTaskStatus>())
        {
            all.AddRange((await Tasks.ListAsync(status, 1000)).Where(t => t.Name == name));
        }

        return all;
    }

    /// <summary>Runs <paramref name="body"/> on a <see cref="DocumentsDb"/> of its own scope.</summary>
    public Task<T> WithDbAsync<T>(Func<DocumentsDb, Task<T>> body) => Host.WithDocumentsDbAsync(body);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Host.DisposeAsync();
    }
}

/// <summary>Reads a host's documents database directly, to check what the catalog wrote.</summary>
internal static class DocumentsDbAccess
{
    public static async Task<T> WithDocumentsDbAsync<T>(this RunningHost host, Func<DocumentsDb, Task<T>> body)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await body(scope.ServiceProvider.GetRequiredService<DocumentsDb>());
    }
}
