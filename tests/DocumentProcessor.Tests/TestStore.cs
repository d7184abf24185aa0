using Mindora.Integrations;

namespace DocumentProcessor.Tests;

/// <summary>
/// A temporary data directory with one embedded resource per capability, laid out like the
/// AppHost's embedded runtime: <c>files/</c>, <c>redis/</c> (tasks, cache), <c>elasticsearch/</c>
/// (search) and <c>postgres/</c> (the documents database).
/// </summary>
public sealed class TestStore : IDisposable
{
    public TestStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "mindora-docprocessor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>The directory every store of this test class lives under.</summary>
    public string Root { get; }

    /// <summary>Where the Files store keeps the blobs of the app's documents bucket.</summary>
    public string DocumentBlobDirectory => Path.Combine(Root, "files", "blobs", "docs", "documents");

    /// <summary>Settings that replace the embedded ones, e.g. a real broker's <c>ConnectionStrings:rabbitmq</c>.</summary>
    public Dictionary<string, string?> Overrides { get; } = [];

    /// <summary>The connection strings and the files signing key, as configuration keys (with <see cref="Overrides"/> applied).</summary>
    public IReadOnlyDictionary<string, string?> ConnectionStrings => new Dictionary<string, string?>(Embedded.Concat(Overrides).GroupBy(p => p.Key).Select(g => g.Last()));

    private Dictionary<string, string?> Embedded => new()
    {
        ["ConnectionStrings:files"] = MindoraConnectionString.ForEmbedded(Path.Combine(Root, "files")),
        ["ConnectionStrings:redis"] = MindoraConnectionString.ForEmbedded(Path.Combine(Root, "redis")),
        ["ConnectionStrings:elasticsearch"] = MindoraConnectionString.ForEmbedded(Path.Combine(Root, "elasticsearch")),
        ["ConnectionStrings:qdrant"] = MindoraConnectionString.ForEmbedded(Path.Combine(Root, "qdrant")),
        ["ConnectionStrings:rabbitmq"] = MindoraConnectionString.ForEmbedded(Path.Combine(Root, "rabbitmq")),
        ["ConnectionStrings:db"] = MindoraConnectionString.ForEmbedded(Path.Combine(Root, "postgres")) + ";Database=db",
        ["Mindora:Files:SigningKey"] = "document-tests-signing-key-0123456789abcdef", // the AppHost injects a generated one
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp directory left behind does not affect other tests.
        }
    }
}
