using System.Text;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Pipeline;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Vectors;

namespace Mindora.Integrations.Tests.Ingestion.Pipeline;

/// <summary>The chunk steps end to end: a real worker host and the embedded search and vector stores over one directory.</summary>
public sealed class ChunkPipelineTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task A_new_shorter_version_replaces_the_chunks_and_vectors_and_removes_those_beyond_its_count()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        var long1 = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"albatross{i}."));
        var (record, _) = await api.UploadAsync("birds.txt", Encoding.UTF8.GetBytes(long1));
        var first = await api.WaitForDocumentAsync(record.Id);
        Assert.True(first.Chunks > 3, $"{first.Chunks} chunks");
        var vectors = api.Host.Get<IMindoraVectors>();
        Assert.Equal((long)first.Chunks!.Value, await vectors.CountAsync(DocumentChunkIndex.Collection, VectorFilter.Match("documentId", record.Id)));

        // The next version: new bytes under the same id, processed again.
        var stored = await api.Catalog.StoreOriginalAsync(record.Id, new MemoryStream(Encoding.UTF8.GetBytes("Only a pelican now.")), "text/plain", 1 << 20);
        await api.Catalog.UpdateAsync(record.Id, r => r with { Sha256 = stored.Sha256, Size = stored.Size, Status = DocumentStatus.Queued, Steps = null });
        await api.Tasks.EnqueueAsync(IngestionTaskNames.ExtractText, new DocumentTaskPayload(record.Id));
        var second = await api.WaitForDocumentAsync(record.Id, r => r.Status == DocumentStatus.Indexed && r.Chunks == 1 && r.Steps!.EndsWith("save=done", StringComparison.Ordinal));

        var index = api.Host.Get<DocumentChunkIndex>();
        Assert.Empty(await index.SearchAsync("albatross7", ChunkSearchMode.Keyword));
        var hit = Assert.Single(await index.SearchAsync("pelican", ChunkSearchMode.Keyword, new ChunkFilter(DocumentId: record.Id)));
        Assert.Equal(0, hit.Chunk);
        Assert.Equal(1, await vectors.CountAsync(DocumentChunkIndex.Collection, VectorFilter.Match("documentId", record.Id)));
        Assert.Equal(1, second.Chunks);
    }

    [Fact]
    public async Task Removing_a_document_from_the_index_leaves_no_chunk_or_vector_and_other_documents_untouched()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        var (gone, _) = await api.UploadAsync("gone.txt", Encoding.UTF8.GetBytes("The marmot report."));
        var (kept, _) = await api.UploadAsync("kept.txt", Encoding.UTF8.GetBytes("The marmot census."));
        await api.WaitForDocumentAsync(gone.Id);
        await api.WaitForDocumentAsync(kept.Id);
        var index = api.Host.Get<DocumentChunkIndex>();

        await api.Catalog.DeleteAsync(gone.Id);
        await index.RemoveAsync(gone.Id);

        Assert.Equal([kept.Id], (await index.SearchAsync("marmot", ChunkSearchMode.Hybrid)).Select(h => h.DocumentId));
        Assert.Equal(0, await api.Host.Get<IMindoraVectors>().CountAsync(DocumentChunkIndex.Collection, VectorFilter.Match("documentId", gone.Id)));
        Assert.Null(await api.Catalog.FindAsync(gone.Id));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => api.Catalog.ReadChunksAsync(gone.Id));
    }

    [Fact]
    public async Task Tags_and_document_id_filter_keyword_and_semantic_search()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        var (a, _) = await api.UploadAsync("a.txt", Encoding.UTF8.GetBytes("Glacier melt data for the alps."));
        var (b, _) = await api.UploadAsync("b.txt", Encoding.UTF8.GetBytes("Glacier melt data for the andes."));
        await api.Catalog.UpdateAsync(a.Id, r => r with { Tags = "climate,europe" });
        await api.WaitForDocumentAsync(a.Id);
        await api.WaitForDocumentAsync(b.Id);

        // Tags are copied to chunks when they are saved: save document a again with its tags.
        var record = await api.Catalog.GetAsync(a.Id);
        var index = api.Host.Get<DocumentChunkIndex>();
        await index.SaveAsync(record, await api.Catalog.ReadChunksAsync(a.Id), await api.Catalog.ReadEmbeddingsAsync(a.Id));

        foreach (var mode in Enum.GetValues<ChunkSearchMode>())
        {
            Assert.Equal([a.Id], (await index.SearchAsync("glacier melt", mode, new ChunkFilter(Tag: "Europe"))).Select(h => h.DocumentId));
            Assert.Equal([b.Id], (await index.SearchAsync("glacier melt", mode, new ChunkFilter(DocumentId: b.Id))).Select(h => h.DocumentId));
            Assert.Empty(await index.SearchAsync("glacier melt", mode, new ChunkFilter(b.Id, "europe")));
        }
    }

    [Fact]
    public async Task Bad_files_end_failed_with_the_reason_and_the_worker_keeps_indexing()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];
        var cases = new (string Name, byte[] Bytes, string Reason)[]
        {
            ("bomb.docx", Extractors.GeneratedDocuments.ZipBomb("word/document.xml", 64), "zip bomb"),
            ("sheet-bomb.xlsx", Extractors.GeneratedDocuments.ZipBomb("xl/workbook.xml", 64), "zip bomb"),
            ("picture.docx", png, "not a valid zip package"),
            ("protected.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]], "password-protected"),
            ("truncated.pdf", Extractors.GeneratedDocuments.OnePage("BT (cut) Tj ET")[..40], "PDF"),
            ("locked.pdf", Extractors.GeneratedDocuments.OnePage("BT /F1 12 Tf (hidden) Tj ET", trailerExtra: "/Encrypt 6 0 R", extraObjects: ["<< /Filter /Standard /V 2 /R 3 >>"]), "encrypted"),
        };

        var uploads = new List<(string Id, string Reason)>();
        foreach (var (name, bytes, reason) in cases)
        {
            uploads.Add(((await api.UploadAsync(name, bytes, validate: false)).Record.Id, reason));
        }

        var (good, _) = await api.UploadAsync("fine.txt", Encoding.UTF8.GetBytes("Still indexing after bad files."));

        foreach (var (id, reason) in uploads)
        {
            var failed = await api.WaitForDocumentAsync(id);
            Assert.Equal(DocumentStatus.Failed, failed.Status);
            Assert.Contains(reason, failed.Error, StringComparison.Ordinal);
            Assert.Equal(DocumentSteps.Failed, DocumentSteps.Parse(failed.Steps)[DocumentSteps.Extract]);
        }

        Assert.Equal(DocumentStatus.Indexed, (await api.WaitForDocumentAsync(good.Id)).Status);
    }

    [Fact]
    public async Task A_step_queued_for_an_older_version_changes_nothing()
    {
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);
        var (record, _) = await api.UploadAsync("current.txt", Encoding.UTF8.GetBytes("The current version."));
        var indexed = await api.WaitForDocumentAsync(record.Id);

        var stale = await api.Tasks.EnqueueAsync(IngestionTaskNames.IndexDocument, new DocumentTaskPayload(record.Id, new string('0', 64)));
        var done = await api.Tasks.WaitForTaskAsync(stale.Id);

        Assert.Equal(MindoraTaskStatus.Succeeded, done.Status);
        Assert.Contains("newer version", done.ResultJson, StringComparison.Ordinal);
        var after = await api.Catalog.GetAsync(record.Id);
        Assert.Equal(indexed.Steps, after.Steps);
        Assert.Equal(indexed.UpdatedAt, after.UpdatedAt);
        Assert.Equal(indexed.IndexTaskId, after.IndexTaskId);
    }

    [Fact]
    public async Task Each_step_is_a_span_of_mindora_ingestion_tagged_with_the_document()
    {
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Mindora.Ingestion",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var dir = temp.NewStoreDirectory();
        await using var api = await DocumentUploads.StartAsync(dir);
        await using var worker = await StartWorkerAsync(dir);

        var (record, _) = await api.UploadAsync("traced.txt", Encoding.UTF8.GetBytes("Traced through every step."));
        await api.WaitForDocumentAsync(record.Id);

        // The save span ends just after the document is marked indexed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        List<System.Diagnostics.Activity> mine;
        while ((mine = spans.Where(a => (string?)a.GetTagItem("mindora.document") == record.Id).ToList()).Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(["ingestion.extract", "ingestion.embed", "ingestion.save"], mine.Select(a => a.OperationName));
        Assert.All(mine, a => Assert.Equal("success", a.GetTagItem("mindora.outcome")));
    }

    private static Task<RunningHost> StartWorkerAsync(string dir)
    {
        var builder = WorkerHosts.CreateBuilder(dir, ("Mindora:Ingestion:ChunkTokens", "24"), ("Mindora:Ingestion:OverlapTokens", "4"));
        builder.AddMindoraWorker().AddDocumentIngestion();
        return builder.StartAsync();
    }
}
