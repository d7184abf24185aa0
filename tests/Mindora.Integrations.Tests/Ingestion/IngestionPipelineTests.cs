using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Data;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;
using Mindora.Integrations.Search;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Vectors;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Ingestion;

/// <summary>
/// Upload (through a separate client, as the API process does) → extract-text → index-document →
/// search, with a real worker host over one embedded directory.
/// </summary>
public sealed class IngestionPipelineTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Uploaded_document_is_extracted_indexed_and_found_with_marked_highlights()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        var (record, extract) = await api.UploadAsync("q3.md", Utf8("# Quarterly Report\n\nRevenue **grew** in the *northern* region.\n\n- costs fell"));
        await using var worker = await StartWorkerAsync(dir);

        var indexed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Indexed, indexed.Status);
        Assert.Null(indexed.Error);
        Assert.Equal("Quarterly Report", indexed.Title);
        Assert.Equal("text/markdown", indexed.ContentType);
        Assert.True(indexed.UpdatedAt >= record.UpdatedAt);
        Assert.Equal("Quarterly Report\n\nRevenue grew in the northern region.\n\ncosts fell", await api.Catalog.ReadTextAsync(record.Id));

        var hit = Assert.Single(await ChunksAsync(api, "northern"));
        Assert.Equal(record.Id, hit.DocumentId);
        Assert.Equal(0, hit.Chunk);
        Assert.Equal("Quarterly Report", hit.Title);
        Assert.Equal("Quarterly Report", hit.Section);
        Assert.Contains("<mark>northern</mark>", hit.Highlight, StringComparison.Ordinal);
        var semantic = await api.Host.Get<DocumentChunkIndex>().SearchAsync("revenue in the northern region", ChunkSearchMode.Semantic);
        Assert.Equal(record.Id, semantic[0].DocumentId);

        var extractDone = await api.Tasks.WaitForTaskAsync(extract.Id);
        Assert.Equal(MindoraTaskStatus.Succeeded, extractDone.Status);
        var index = Assert.Single(await api.TasksNamedAsync(IngestionTaskNames.IndexDocument));
        Assert.Equal(MindoraTaskStatus.Succeeded, (await api.Tasks.WaitForTaskAsync(index.Id)).Status);
        Assert.Equal(TaskPriority.High, index.Priority);
        using var result = JsonDocument.Parse(extractDone.ResultJson!);
        var embed = Assert.Single(await api.TasksNamedAsync(IngestionTaskNames.EmbedDocument));
        Assert.Equal(embed.Id, result.RootElement.GetProperty("embedTask").GetString());
        Assert.Equal(1, result.RootElement.GetProperty("chunks").GetInt32());

        // What processing found is part of the record, and each step left its audit row.
        var final = await api.Catalog.GetAsync(record.Id);
        Assert.Equal("Quarterly Report\n\nRevenue grew in the northern region.\n\ncosts fell".Length, final.Characters);
        Assert.Null(final.Pages);
        Assert.Equal(index.Id, final.IndexTaskId);
        var history = await api.Catalog.HistoryAsync(record.Id);
        Assert.Equal(1, final.Chunks);
        Assert.Equal("extract=done;partition=done;embed=done;save=done", final.Steps);
        Assert.Equal([AuditOperation.Insert, .. Enumerable.Repeat(AuditOperation.Update, 7)], history.Select(h => h.Operation));
        Assert.All(history, h => Assert.Equal("system", h.UserName));
        Assert.Contains("\"Title\":{\"old\":\"q3\",\"new\":\"Quarterly Report\"}", history[2].Changes, StringComparison.Ordinal);
        Assert.Contains($"\"IndexTaskId\":{{\"old\":null,\"new\":\"{index.Id}\"}}", history[7].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_file_named_txt_fails_after_one_attempt_and_the_worker_keeps_indexing()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];
        var (binary, binaryTask) = await api.UploadAsync("photo.txt", png, "text/plain", validate: false);

        var failed = await api.WaitForDocumentAsync(binary.Id);
        var (good, _) = await api.UploadAsync("after.txt", Utf8("Still indexing after a bad file."));
        var indexed = await api.WaitForDocumentAsync(good.Id);

        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Contains("UTF-8", failed.Error, StringComparison.Ordinal);
        Assert.Contains("binary", failed.Error, StringComparison.Ordinal);
        var task = await api.Tasks.WaitForTaskAsync(binaryTask.Id);
        Assert.Equal(MindoraTaskStatus.Failed, task.Status);
        Assert.Equal(1, task.Attempts);
        Assert.Equal(3, task.MaxAttempts);
        Assert.Equal(failed.Error, task.Error);
        Assert.False(await api.Client.Files.ExistsAsync(DocumentCatalog.Bucket, DocumentCatalog.TextKey(binary.Id)));
        Assert.Equal(DocumentStatus.Indexed, indexed.Status);
        Assert.Single(await ChunksAsync(api, "indexing"));
    }

    [Fact]
    public async Task PDF_Word_and_Excel_documents_are_indexed_and_an_encrypted_PDF_fails_saying_so()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        var pdf = Extractors.GeneratedDocuments.OnePage("BT /F1 12 Tf 72 720 Td (Quantum annealing notes) Tj ET");
        var docx = Extractors.GeneratedDocuments.Docx(("Title", "Retrieval design"), ("", "Chunks overlap by fifty tokens."));
        var xlsx = Extractors.GeneratedDocuments.Xlsx("Costs", ["Embedding", "0.0001"]);
        var locked = Extractors.GeneratedDocuments.OnePage("BT /F1 12 Tf (hidden) Tj ET", trailerExtra: "/Encrypt 6 0 R", extraObjects: ["<< /Filter /Standard /V 2 /R 3 >>"]);

        var (pdfRecord, _) = await api.UploadAsync("notes.pdf", pdf, "application/pdf");
        var (docxRecord, _) = await api.UploadAsync("design.docx", docx);
        var (xlsxRecord, _) = await api.UploadAsync("costs.xlsx", xlsx);
        var (lockedRecord, lockedTask) = await api.UploadAsync("locked.pdf", locked, "application/pdf");

        var pdfIndexed = await api.WaitForDocumentAsync(pdfRecord.Id);
        Assert.Equal(DocumentStatus.Indexed, pdfIndexed.Status);
        Assert.Equal(1, pdfIndexed.Pages);
        Assert.Equal("Quantum annealing notes".Length, pdfIndexed.Characters);
        Assert.Equal("Retrieval design", (await api.WaitForDocumentAsync(docxRecord.Id)).Title);
        Assert.Equal(DocumentStatus.Indexed, (await api.WaitForDocumentAsync(xlsxRecord.Id)).Status);
        var failed = await api.WaitForDocumentAsync(lockedRecord.Id);
        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Contains("encrypted", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await api.Tasks.WaitForTaskAsync(lockedTask.Id)).Attempts);
        foreach (var (word, id) in new[] { ("annealing", pdfRecord.Id), ("overlap", docxRecord.Id), ("Embedding", xlsxRecord.Id) })
        {
            var hit = Assert.Single(await ChunksAsync(api, word));
            Assert.Equal(id, hit.DocumentId);
        }

        Assert.Equal(1, Assert.Single(await ChunksAsync(api, "annealing")).Page);
        Assert.Equal("Retrieval design", Assert.Single(await ChunksAsync(api, "overlap")).Section);
    }

    [Fact]
    public async Task Whitespace_only_document_fails_with_no_text_and_is_not_indexed()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);

        var (record, extract) = await api.UploadAsync("blank.md", Utf8("  \n\t\r\n   \n"));
        var failed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Contains("no text", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await api.Tasks.WaitForTaskAsync(extract.Id)).Attempts);
        Assert.Empty(await api.TasksNamedAsync(IngestionTaskNames.IndexDocument));
    }

    [Fact]
    public async Task Reprocessing_the_same_document_runs_every_step_again_and_replaces_its_chunks_instead_of_adding_more()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        var (record, _) = await api.UploadAsync("memo.txt", Utf8("Memo\nThe zeppelin lands at noon."));
        await api.WaitForDocumentAsync(record.Id);

        // Processing again: a new extract-text task for the same document (no idempotency key).
        var again = await api.Tasks.EnqueueAsync(IngestionTaskNames.ExtractText, new DocumentTaskPayload(record.Id));
        Assert.Equal(MindoraTaskStatus.Succeeded, (await api.Tasks.WaitForTaskAsync(again.Id)).Status);
        await WaitForTasksAsync(api, IngestionTaskNames.IndexDocument, 2);

        Assert.Equal(DocumentStatus.Indexed, (await api.Catalog.GetAsync(record.Id)).Status);
        var hit = Assert.Single(await ChunksAsync(api, "zeppelin"));
        Assert.Equal(record.Id, hit.DocumentId);
        Assert.Equal(1, await api.Host.Get<IMindoraVectors>().CountAsync(DocumentChunkIndex.Collection));
    }

    [Fact]
    public async Task Processing_content_whose_next_step_already_ended_unsuccessfully_fails_with_that_reason()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        var (record, extract) = await api.UploadAsync("memo.txt", Utf8("Canceled before indexing."));
        var embed = await api.Tasks.EnqueueAsync(
            IngestionTaskNames.EmbedDocument,
            new DocumentTaskPayload(record.Id),
            new EnqueueOptions { IdempotencyKey = $"{IngestionTaskNames.EmbedDocument}:{record.Id}:{extract.Id}" });
        Assert.True(await api.Tasks.CancelAsync(embed.Id));
        await using var worker = await StartWorkerAsync(dir);

        var failed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Contains("canceled", failed.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await api.Tasks.WaitForTaskAsync(extract.Id)).Attempts);
        Assert.Empty(await ChunksAsync(api, "indexing"));
    }

    [Fact]
    public async Task Txt_declared_as_markdown_is_stored_and_indexed_as_markdown()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);

        var (record, _) = await api.UploadAsync("notes.txt", Utf8("# Field notes\n**Bold** claims about _kestrels_."), "text/markdown");
        var indexed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Indexed, indexed.Status);
        Assert.Equal("text/markdown", indexed.ContentType);
        Assert.Equal("Field notes", indexed.Title);
        Assert.Equal("Field notes\nBold claims about kestrels.", await api.Catalog.ReadTextAsync(record.Id));
    }

    [Fact]
    public async Task Transient_extraction_failure_is_retried_and_the_document_ends_indexed()
    {
        var dir = temp.NewStoreDirectory();
        var flaky = new FlakyExtractor(failures: 1);
        await using var api = await DocumentUploads.StartAsync(dir, flaky);
        await using var worker = await StartWorkerAsync(dir, flaky);

        var (record, extract) = await api.UploadAsync("log.flaky", Utf8("Flaky storage recovered"), validate: false);
        var indexed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Indexed, indexed.Status);
        Assert.Null(indexed.Error);
        var task = await api.Tasks.WaitForTaskAsync(extract.Id);
        Assert.Equal(2, task.Attempts);
        Assert.Single(await ChunksAsync(api, "recovered"));
    }

    [Fact]
    public async Task Transient_failure_on_the_last_attempt_marks_the_document_failed_with_the_reason()
    {
        var dir = temp.NewStoreDirectory();
        var flaky = new FlakyExtractor(failures: 5);
        await using var api = await DocumentUploads.StartAsync(dir, flaky);
        await using var worker = await StartWorkerAsync(dir, flaky);

        var (record, extract) = await api.UploadAsync("log.flaky", Utf8("never read"), validate: false, options: new EnqueueOptions { MaxAttempts = 2 });
        var failed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Equal("The disk hiccuped (call 2).", failed.Error);
        Assert.Equal(2, (await api.Tasks.WaitForTaskAsync(extract.Id)).Attempts);
    }

    [Fact]
    public async Task Document_timed_out_on_its_last_attempt_ends_failed_instead_of_processing_forever()
    {
        var dir = temp.NewStoreDirectory();
        var slow = new FlakyExtractor(failures: 0, hang: true);
        await using var api = await DocumentUploads.StartAsync(dir, slow);
        await using var worker = await StartWorkerAsync(dir, slow);

        var (record, extract) = await api.UploadAsync("big.flaky", Utf8("slow"), validate: false, options: new EnqueueOptions { MaxAttempts = 1, Timeout = TimeSpan.FromMilliseconds(300) });
        var failed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Contains("canceled", failed.Error, StringComparison.Ordinal);
        var task = await api.Tasks.WaitForTaskAsync(extract.Id);
        Assert.Equal(MindoraTaskStatus.Failed, task.Status);
        Assert.Equal("Timed out after 0.3 s.", task.Error);
    }

    [Fact]
    public async Task Document_whose_worker_shuts_down_mid_extraction_is_not_failed_and_its_task_is_queued_again()
    {
        var dir = temp.NewStoreDirectory();
        var slow = new FlakyExtractor(failures: 0, hang: true);
        await using var api = await DocumentUploads.StartAsync(dir, slow);
        var builder = WorkerHosts.CreateBuilder(dir, ("Mindora:Worker:DrainTimeout", "0.3"));
        builder.AddMindoraWorker().AddDocumentIngestion();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentTextExtractor>(slow));
        await using var worker = await builder.StartAsync();

        var (record, extract) = await api.UploadAsync("big.flaky", Utf8("slow"), validate: false, options: new EnqueueOptions { MaxAttempts = 1 });
        await api.WaitForDocumentAsync(record.Id, r => r.Status == DocumentStatus.Processing);
        await worker.StopAsync();

        // Even on its only attempt, a shutdown is not the document's failure: it will run again.
        Assert.Equal(DocumentStatus.Processing, (await api.Catalog.GetAsync(record.Id)).Status);
        var task = await api.Tasks.GetAsync(extract.Id);
        Assert.Equal(MindoraTaskStatus.Queued, task?.Status);
        Assert.Equal(0, task?.Attempts);
    }

    [Fact]
    public async Task Extract_task_for_a_missing_document_fails_permanently_and_creates_nothing()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await api.Catalog.EnsureCreatedAsync();
        await using var worker = await StartWorkerAsync(dir);
        var id = DocumentCatalog.NewId();

        var task = await api.Tasks.EnqueueAsync(IngestionTaskNames.ExtractText, new DocumentTaskPayload(id), new EnqueueOptions { MaxAttempts = 3 });
        var done = await api.Tasks.WaitForTaskAsync(task.Id);

        Assert.Equal(MindoraTaskStatus.Failed, done.Status);
        Assert.Equal(1, done.Attempts);
        Assert.Contains("not found", done.Error, StringComparison.Ordinal);
        Assert.Null(await api.Catalog.FindAsync(id));
    }

    [Fact]
    public async Task Extract_task_with_a_malformed_payload_fails_permanently()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);

        var wrongType = await api.Tasks.EnqueueAsync(IngestionTaskNames.ExtractText, new { documentId = 42 });
        var missing = await api.Tasks.EnqueueAsync(IngestionTaskNames.ExtractText, new { id = "x" });

        foreach (var id in new[] { wrongType.Id, missing.Id })
        {
            var done = await api.Tasks.WaitForTaskAsync(id);
            Assert.Equal(MindoraTaskStatus.Failed, done.Status);
            Assert.Equal(1, done.Attempts);
            Assert.Contains(nameof(DocumentTaskPayload), done.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Index_task_without_stored_chunks_marks_the_document_failed_at_the_save_step()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await api.Catalog.EnsureCreatedAsync();
        var id = DocumentCatalog.NewId();
        var now = DateTimeOffset.UtcNow;
        await api.Catalog.SaveAsync(new DocumentRecord(id, "orphan", "orphan.txt", "text/plain", 1, new string('0', 64), DocumentStatus.Processing, null, now, now));
        await using var worker = await StartWorkerAsync(dir);

        var task = await api.Tasks.EnqueueAsync(IngestionTaskNames.IndexDocument, new DocumentTaskPayload(id));
        var failed = await api.WaitForDocumentAsync(id);

        Assert.Equal(DocumentStatus.Failed, failed.Status);
        Assert.Contains($"chunks/{id}.json", failed.Error, StringComparison.Ordinal);
        Assert.Equal(DocumentSteps.Failed, DocumentSteps.Parse(failed.Steps)[DocumentSteps.Save]);
        Assert.Equal(1, (await api.Tasks.WaitForTaskAsync(task.Id)).Attempts);
    }

    [Fact]
    public async Task Add_document_ingestion_registers_both_handlers_and_add_mindora_documents_is_idempotent()
    {
        var dir = temp.NewStoreDirectory();
        var builder = WorkerHosts.CreateBuilder(dir);
        builder.AddMindoraDocuments();
        builder.AddMindoraWorker().AddDocumentIngestion();
        builder.AddMindoraDocuments();
        await using var worker = await builder.StartAsync();

        // Each extractor once (text, Office, PDF), however often it was added.
        var extractors = worker.Services.GetServices<IDocumentTextExtractor>().Select(e => e.GetType().Name).ToList();
        Assert.Equal(["PlainTextExtractor", "OfficeDocumentExtractor", "PdfExtractor"], extractors);
        Assert.Same(worker.Get<DocumentCatalog>(), worker.Get<DocumentCatalog>());
        var unknown = await worker.Tasks.EnqueueAsync("not-registered", null);
        var error = (await worker.Tasks.WaitForTaskAsync(unknown.Id)).Error;
        Assert.Contains(IngestionTaskNames.ExtractText, error, StringComparison.Ordinal);
        Assert.Contains(IngestionTaskNames.EmbedDocument, error, StringComparison.Ordinal);
        Assert.Contains(IngestionTaskNames.IndexDocument, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indexing_a_document_drops_the_cached_search_results_and_nothing_else()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        var cache = api.Host.Get<IMindoraCache>();
        await cache.SetAsync(DocumentSearchCache.Key("walrus", 10), "cached answer");
        await cache.SetAsync(DocumentSearchCache.Key("seal", 5), "cached answer");
        await cache.SetAsync("profile:ada", "kept");
        await using var worker = await StartWorkerAsync(dir);

        var (record, _) = await api.UploadAsync("walrus.txt", Utf8("Walrus colonies grow."));
        await api.WaitForDocumentAsync(record.Id);

        Assert.Null(await cache.GetAsync<string>(DocumentSearchCache.Key("walrus", 10)));
        Assert.Null(await cache.GetAsync<string>(DocumentSearchCache.Key("seal", 5)));
        Assert.Equal("kept", await cache.GetAsync<string>("profile:ada"));
        var index = Assert.Single(await api.TasksNamedAsync(IngestionTaskNames.IndexDocument));
        using var result = JsonDocument.Parse((await api.Tasks.WaitForTaskAsync(index.Id)).ResultJson!);
        Assert.Equal(2, result.RootElement.GetProperty("droppedSearches").GetInt64());
    }

    [Fact]
    public async Task Worker_without_a_cache_indexes_and_drops_nothing()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await api.Host.Get<IMindoraCache>().SetAsync(DocumentSearchCache.Key("narwhal", 10), "cached answer");
        var builder = WorkerHosts.CreateBuilder(dir, WorkerHosts.App, o => o.CacheConnectionName = "no-cache");
        builder.AddMindoraWorker().AddDocumentIngestion();
        await using var worker = await builder.StartAsync();

        var (record, _) = await api.UploadAsync("narwhal.txt", Utf8("Narwhal tusks are teeth."));
        var indexed = await api.WaitForDocumentAsync(record.Id);

        Assert.Equal(DocumentStatus.Indexed, indexed.Status);
        Assert.Null(worker.Services.GetService<IMindoraCache>());
        Assert.Equal("cached answer", await api.Host.Get<IMindoraCache>().GetAsync<string>(DocumentSearchCache.Key("narwhal", 10)));
        var index = Assert.Single(await api.TasksNamedAsync(IngestionTaskNames.IndexDocument));
        using var result = JsonDocument.Parse((await api.Tasks.WaitForTaskAsync(index.Id)).ResultJson!);
        Assert.Equal(JsonValueKind.Null, result.RootElement.GetProperty("droppedSearches").ValueKind);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static Task<IReadOnlyList<ChunkHit>> ChunksAsync(DocumentUploads api, string words) =>
        api.Host.Get<DocumentChunkIndex>().SearchAsync(words, ChunkSearchMode.Keyword);

    private static async Task WaitForTasksAsync(DocumentUploads api, string name, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var tasks = await api.TasksNamedAsync(name);
            if (tasks.Count >= count && tasks.All(t => t.Status is MindoraTaskStatus.Succeeded or MindoraTaskStatus.Failed))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{count} {name} tasks did not finish in time");
            await Task.Delay(50);
        }
    }

    private static Task<RunningHost> StartWorkerAsync(string dir, IDocumentTextExtractor? extra = null)
    {
        var builder = WorkerHosts.CreateBuilder(dir);
        builder.AddMindoraWorker().AddDocumentIngestion();
        if (extra is not null)
        {
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(extra));
        }

        return builder.StartAsync();
    }

    /// <summary>Reads <c>.flaky</c> files: fails its first calls with an I/O error, or hangs until canceled.</summary>
    private sealed class FlakyExtractor(int failures, bool hang = false) : IDocumentTextExtractor
    {
        private int _calls;

        public IReadOnlyList<string> ContentTypes { get; } = ["application/x-flaky"];

        public IReadOnlyDictionary<string, string> Extensions { get; } = new Dictionary<string, string> { [".flaky"] = "application/x-flaky" };

        public Task ValidateAsync(Stream content, CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<ExtractedText> ExtractAsync(Stream content, string fileName, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (call <= failures)
            {
                throw new IOException($"The disk hiccuped (call {call}).");
            }

            using var reader = new StreamReader(content);
            var text = await reader.ReadToEndAsync(cancellationToken);
            return new ExtractedText(null, text);
        }
    }
}
