using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Vectors;
using Mindora.Integrations.Vectors.Qdrant;

namespace Mindora.Integrations.Tests.Vectors;

/// <summary>
/// The Vectors suite on a real Qdrant named by MINDORA_TEST_QDRANT (the AppHost's form,
/// <c>Endpoint=http://host:6333;Key=…</c>, or just the URL); skipped, saying so, without one.
/// </summary>
[RequiresServer("MINDORA_TEST_QDRANT", "Qdrant")]
public sealed class QdrantVectorsTests : VectorsSuite
{
    public static string? Server { get; } = Environment.GetEnvironmentVariable("MINDORA_TEST_QDRANT") is { Length: > 0 } value
        ? (value.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase) ? value : $"Endpoint={value}")
        : null;

    private protected override IVectorsProvider OpenProvider(string app) =>
        new QdrantVectorsProvider(QdrantConnection.Parse(Server!, "qdrant"), app, new MindoraVectorsOptions { UpsertBatchSize = 100 }, null);
}
