using Mindora.Integrations.Ingestion.Extractors;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// The API side of document ingestion, in its own "process": a <see cref="MindoraClient"/> over
/// the worker's directory that stores documents the way the DocumentProcessor API does (resolve
/// the type, store the original, save a Queued record, enqueue extract-text).
/// </summary>
internal sealed class DocumentUploads : IAsyncDisposable
{
    private const long MaxBytes = 1024 * 1024;

    public DocumentUploads(string directory, params IDocumentTextExtractor[] extraExtractors)
    {
        var connection = MindoraConnectionString.ForEmbedded(directory);
        Client = MindoraClient.Create(WorkerHosts.App, new Dictionary<string, string>
        {
            ["files"] = connection,
            ["redis"] = connection,
            ["elasticsearch"] = connection,
        });
        Catalog = new DocumentCatalog(Client.Files, TimeProvider.System);
        Types = new DocumentTypes([new PlainTextExtractor(), new OfficeDocumentExtractor(), new PdfExtractor(), .. extraExtractors]);
    }

    public MindoraClient Client { get; }

    public DocumentCatalog Catalog { get; }

    public DocumentTypes Types { get; }

    public ITaskQueue Tasks => Client.Tasks;

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
        var record = new DocumentRecord(id, Path.GetFileNameWithoutExtension(fileName), fileName, contentType, stored.Size, stored.Sha256, DocumentStatus.Queued, null, now, now);
        await Catalog.SaveAsync(record);
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

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
