// Documents per minute end to end for a mix of small documents (txt, md, docx, xlsx, pdf, generated):
// upload (original stored, record saved, extract-text enqueued) → extract + partition → embed →
// save (search index + vector collection), run by the worker engine on the embedded providers
// (files, tasks, search, vectors, SQLite database, local hashed embeddings). The baseline does the
// same extraction, partitioning and embedding in-process with no tasks or stores, so the ratio
// shows what the durable, resumable pipeline costs. Rounds interleave both; medians are reported.
// Usage: dotnet run -c Release --project bench/PipelineBench [documents=1000] [rounds=3] [concurrency=4]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindora.Integrations;
using Mindora.Integrations.Embeddings;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Extractors;
using Mindora.Integrations.Ingestion.Pipeline;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Ingestion.Extractors;

var documents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var corpus = Corpus.Generate(documents);
Console.WriteLine($"{documents} documents ({string.Join(", ", corpus.GroupBy(d => Path.GetExtension(d.Name)).Select(g => $"{g.Count()} {g.Key}"))}), {corpus.Sum(d => d.Bytes.Length) / 1024} KiB; worker concurrency {concurrency}; {rounds} rounds; load average {File.ReadAllText("/proc/loadavg").Trim()}");

var baseline = new List<double>();
var pipeline = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    var inProcess = await InProcessAsync(corpus, concurrency);
    var endToEnd = await PipelineAsync(corpus, concurrency);
    baseline.Add(inProcess);
    pipeline.Add(endToEnd.PerMinute);
    Console.WriteLine($"round {round}: pipeline {endToEnd.PerMinute:F0} docs/min ({endToEnd.Chunks} chunks, {endToEnd.Failed} failed); in-process {inProcess:F0} docs/min");
}

var p = Median(pipeline);
var b = Median(baseline);
Console.WriteLine($"median: pipeline {p:F0} docs/min, in-process baseline {b:F0} docs/min (the pipeline takes {b / p:F0}× as long); load average {File.ReadAllText("/proc/loadavg").Trim()}");

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// The same extraction, partitioning and embedding, in memory.
static async Task<double> InProcessAsync(IReadOnlyList<(string Name, string ContentType, byte[] Bytes)> corpus, int concurrency)
{
    IDocumentTextExtractor[] extractors = [new PlainTextExtractor(), new OfficeDocumentExtractor(), new PdfExtractor()];
    var types = new DocumentTypes(extractors);
    var partitioner = new TextPartitioner(new IngestionOptions());
    using var embeddings = MindoraEmbeddings.Create(new MindoraEmbeddingsOptions());
    var watch = Stopwatch.StartNew();
    await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (document, ct) =>
    {
        var (extractor, contentType) = types.Resolve(document.Name, document.ContentType);
        var text = await extractor.ExtractAsync(new MemoryStream(document.Bytes), document.Name, contentType, ct);
        var chunks = partitioner.Partition(DocumentCatalog.NewId(), text);
        await embeddings.GenerateAsync(chunks.Select(c => c.EmbeddingText), cancellationToken: ct);
    });
    return corpus.Count / watch.Elapsed.TotalMinutes;
}

// Upload every document, then wait until each is indexed or failed.
static async Task<(double PerMinute, int Chunks, int Failed)> PipelineAsync(IReadOnlyList<(string Name, string ContentType, byte[] Bytes)> corpus, int concurrency)
{
    var dir = Path.Combine(Path.GetTempPath(), "mindora-pipeline-bench", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(dir);
    try
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        var connection = MindoraConnectionString.ForEmbedded(dir);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:files"] = connection,
            ["ConnectionStrings:redis"] = connection,
            ["ConnectionStrings:elasticsearch"] = connection,
            ["ConnectionStrings:qdrant"] = connection,
            ["ConnectionStrings:db"] = connection,
            ["Mindora:Worker:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Mindora:Tasks:PollInterval"] = "00:00:00.050",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMindora("bench");
        builder.AddMindoraWorker().AddDocumentIngestion();
        using var host = builder.Build();
        await host.StartAsync();
        var catalog = host.Services.GetRequiredService<DocumentCatalog>();
        var queue = host.Services.GetRequiredService<ITaskQueue>();
        var types = host.Services.GetRequiredService<DocumentTypes>();
        await catalog.EnsureCreatedAsync();

        var watch = Stopwatch.StartNew();
        var ids = new List<string>();
        foreach (var document in corpus)
        {
            var (_, contentType) = types.Resolve(document.Name, document.ContentType);
            var id = DocumentCatalog.NewId();
            var stored = await catalog.StoreOriginalAsync(id, new MemoryStream(document.Bytes), contentType, 1 << 24);
            var now = DateTimeOffset.UtcNow;
            await catalog.SaveAsync(new DocumentRecord(id, document.Name, document.Name, contentType, stored.Size, stored.Sha256, DocumentStatus.Queued, null, now, now));
            await queue.EnqueueAsync(IngestionTaskNames.ExtractText, new DocumentTaskPayload(id));
            ids.Add(id);
        }

        var pending = new HashSet<string>(ids);
        var chunks = 0;
        var failed = 0;
        while (pending.Count > 0)
        {
            foreach (var id in pending.ToList())
            {
                var record = await catalog.GetAsync(id);
                if (record.Status is DocumentStatus.Indexed or DocumentStatus.Failed)
                {
                    pending.Remove(id);
                    chunks += record.Chunks ?? 0;
                    failed += record.Status == DocumentStatus.Failed ? 1 : 0;
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(200);
            }
        }

        var perMinute = corpus.Count / watch.Elapsed.TotalMinutes;
        await host.StopAsync();
        return (perMinute, chunks, failed);
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
}

/// <summary>Small documents of every supported type with varied prose (some Chinese), deterministic.</summary>
internal static class Corpus
{
    private static readonly string[] Words =
        "the a of storage vector index search query document chunk embedding cluster latency replica shard token model retrieval answer page section report budget quarterly revenue river glacier lichen turbine pipeline worker queue cache"
            .Split(' ');

    private static readonly string[] Chinese = ["向量数据库支持语义搜索。", "文档被切分成片段并建立索引。", "检索增强生成需要准确的引用。"];

    public static List<(string Name, string ContentType, byte[] Bytes)> Generate(int count)
    {
        var random = new Random(42);
        var list = new List<(string, string, byte[])>();
        for (var i = 0; i < count; i++)
        {
            var paragraphs = Enumerable.Range(0, 3 + random.Next(4)).Select(_ => Paragraph(random)).ToList();
            var name = $"doc{i:D4}";
            list.Add((i % 5) switch
            {
                0 => ($"{name}.txt", "text/plain", Encoding.UTF8.GetBytes(string.Join("\n\n", paragraphs))),
                1 => ($"{name}.md", "text/markdown", Encoding.UTF8.GetBytes($"# Report {i}\n\n{paragraphs[0]}\n\n## Details\n\n{string.Join("\n\n", paragraphs.Skip(1))}")),
                2 => ($"{name}.docx", "application/octet-stream", GeneratedDocuments.Docx([("Title", $"Design {i}"), .. paragraphs.Select(p => (string.Empty, p))])),
                3 => ($"{name}.xlsx", "application/octet-stream", GeneratedDocuments.Xlsx("Data", [.. paragraphs.Select(p => p.Split(' ').Take(6).ToArray())])),
                _ => ($"{name}.pdf", "application/pdf", GeneratedDocuments.OnePage(string.Concat(paragraphs.Select((p, n) => $"BT /F1 10 Tf 72 {720 - (n * 14)} Td ({Ascii(p)}) Tj ET\n")))),
            });
        }

        return list;
    }

    private static string Paragraph(Random random)
    {
        var words = Enumerable.Range(0, 30 + random.Next(60)).Select(_ => Words[random.Next(Words.Length)]);
        var text = string.Join(' ', words) + ".";
        return random.Next(4) == 0 ? text + " " + Chinese[random.Next(Chinese.Length)] : text;
    }

    // PDF string literals here are WinAnsi: the Chinese sentence is left out of PDFs.
    private static string Ascii(string text) => new(text.Where(c => c < 128 && c is not '(' and not ')' and not '\\').ToArray());
}
