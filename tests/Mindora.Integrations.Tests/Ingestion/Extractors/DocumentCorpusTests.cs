using System.Text.Json;
using Mindora.Integrations.Ingestion;
using Mindora.Integrations.Ingestion.Extractors;
using Xunit.Abstractions;

namespace Mindora.Integrations.Tests.Ingestion.Extractors;

/// <summary>
/// Real documents made by other software (pdfTeX, Google Docs, LibreOffice, Word, Google Sheets,
/// Numbers, Excel), kept outside the repository in ../shared/fixtures/documents (or where
/// MINDORA_TEST_CORPUS points): each must yield the phrases its expectations.json names, or fail
/// with the reason it names.
/// </summary>
public sealed class DocumentCorpusTests(ITestOutputHelper output)
{
    private static readonly DocumentTypes Types = new([new PlainTextExtractor(), new OfficeDocumentExtractor(), new PdfExtractor()]);

    public static string? CorpusDirectory { get; } = FindCorpus();

    [CorpusFact]
    public async Task Every_document_of_the_corpus_yields_its_phrases_or_fails_with_its_reason()
    {
        using var expectations = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(CorpusDirectory!, "expectations.json")));
        var failures = new List<string>();
        foreach (var document in expectations.RootElement.GetProperty("documents").EnumerateArray())
        {
            var file = document.GetProperty("file").GetString()!;
            var (extractor, contentType) = Types.Resolve(file, null);
            string report;
            try
            {
                await using var content = File.OpenRead(Path.Combine(CorpusDirectory!, file));
                var text = await extractor.ExtractAsync(content, file, contentType, CancellationToken.None);
                var normalized = string.Join(' ', text.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                if (document.TryGetProperty("fails", out var expectedFailure))
                {
                    report = $"read {text.Text.Length} characters, but should have failed ({expectedFailure.GetString()})";
                    failures.Add($"{file}: {report}");
                }
                else
                {
                    var missing = document.GetProperty("phrases").EnumerateArray().Select(p => p.GetString()!).Where(p => !normalized.Contains(p, StringComparison.Ordinal)).ToList();
                    report = missing.Count == 0 ? $"ok: {text.Text.Length} characters, title '{text.Title}'" : $"missing: {string.Join(" | ", missing)}";
                    if (missing.Count > 0)
                    {
                        failures.Add($"{file}: {report}");
                    }
                }
            }
            catch (MindoraCorruptContentException e)
            {
                var expected = document.TryGetProperty("fails", out var reason) ? reason.GetString()! : null;
                report = expected is not null && e.Message.Contains(expected, StringComparison.OrdinalIgnoreCase) ? $"failed as expected: {e.Message}" : $"unexpected failure: {e.Message}";
                if (expected is null || !e.Message.Contains(expected, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{file}: {report}");
                }
            }

            output.WriteLine($"{file} ({document.GetProperty("made_by").GetString()}): {report}");
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static string? FindCorpus()
    {
        if (Environment.GetEnvironmentVariable("MINDORA_TEST_CORPUS") is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured : null;
        }

        // ../shared/fixtures/documents next to the repository.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mindora.sln")))
            {
                var corpus = Path.Combine(directory.FullName, "..", "shared", "fixtures", "documents");
                return File.Exists(Path.Combine(corpus, "expectations.json")) ? Path.GetFullPath(corpus) : null;
            }
        }

        return null;
    }
}

/// <summary>Runs when the corpus is there; otherwise skipped, saying where it was looked for.</summary>
internal sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (DocumentCorpusTests.CorpusDirectory is null)
        {
            Skip = "SKIPPED: no document corpus (../shared/fixtures/documents next to the repository, or MINDORA_TEST_CORPUS).";
        }
    }
}
