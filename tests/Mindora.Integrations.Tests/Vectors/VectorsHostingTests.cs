using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Embeddings;
using Mindora.Integrations.Tests.Hosting;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Vectors;

namespace Mindora.Integrations.Tests.Vectors;

public sealed class VectorsHostingTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Add_mindora_registers_vectors_from_the_qdrant_connection_string_and_the_local_embeddings()
    {
        var builder = HostBuilders.Create(
            ("ConnectionStrings:qdrant", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            ("ConnectionStrings:redis", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            ("Mindora:Vectors:HnswThreshold", "500"));
        builder.AddMindora("docs");
        using var host = builder.Build();
        var vectors = host.Services.GetRequiredService<IMindoraVectors>();
        var embeddings = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        await vectors.EnsureCollectionAsync("chunks", 768, VectorDistance.Cosine);
        var texts = new[] { "Qdrant stores embeddings", "向量数据库", "pasta recipes" };
        var generated = await embeddings.GenerateAsync(texts);
        await vectors.UpsertAsync("chunks", texts.Select((t, i) => new VectorPoint($"c{i}", generated[i].Vector, new() { ["text"] = t })).ToList());
        var query = await embeddings.GenerateAsync(["我们的向量数据库"]);
        var hits = await vectors.SearchAsync("chunks", new VectorSearchRequest { Vector = query[0].Vector, Top = 1 });
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "mindora-vectors");

        Assert.Equal("向量数据库", hits[0].Payload!["text"]!.GetValue<string>());
        Assert.Equal(500, host.Services.GetRequiredService<IOptions<MindoraVectorsOptions>>().Value.HnswThreshold);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Single(health.Entries);
    }

    [Fact]
    public void The_apphosts_qdrant_connection_string_selects_qdrant_and_a_malformed_one_fails_without_leaking_the_key()
    {
        var good = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:qdrant", "Endpoint=http://127.0.0.1:6333;Key=s3cr3t-key"));
        good.AddMindoraVectors();
        using var host = good.Build();
        var bad = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:qdrant", "Endpoint=ftp://127.0.0.1;Key=s3cr3t-key"));

        var provider = host.Services.GetRequiredService<IMindoraVectors>();
        var error = Assert.Throws<MindoraConfigurationException>(() => bad.AddMindoraVectors());

        Assert.IsType<Mindora.Integrations.Vectors.Qdrant.QdrantVectorsProvider>(provider);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.Contains("Endpoint=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_are_traced_on_the_mindora_vectors_source_with_app_and_collection()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Mindora.Vectors",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var vectors = new Mindora.Integrations.Vectors.Embedded.EmbeddedVectorsProvider(temp.NewStoreDirectory(), "traced", new MindoraVectorsOptions(), null, TimeProvider.System);

        await vectors.EnsureCollectionAsync("t", 2, VectorDistance.Dot);
        await Assert.ThrowsAsync<MindoraVectorException>(() => vectors.SearchAsync("t", new VectorSearchRequest { Vector = new float[] { float.NaN, 1 } }));

        Activity[] mine;
        lock (activities)
        {
            mine = activities.Where(a => (string?)a.GetTagItem("mindora.app") == "traced").ToArray();
        }

        Assert.Equal(["vectors.ensure_collection", "vectors.search"], mine.Select(a => a.DisplayName));
        Assert.All(mine, a => Assert.Equal("traced_t", a.GetTagItem("mindora.collection")));
        Assert.Equal("invalid_vector", mine[1].GetTagItem("mindora.outcome"));
    }

    [Fact]
    public void Embeddings_options_select_the_openai_compatible_provider_when_an_endpoint_is_configured()
    {
        var builder = HostBuilders.Create(("Mindora:Embeddings:Endpoint", "http://127.0.0.1:11434/v1"), ("Mindora:Embeddings:Model", "nomic-embed-text"));
        builder.AddMindoraEmbeddings();
        using var host = builder.Build();

        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.Equal(("openai-compatible", "nomic-embed-text"), (metadata!.ProviderName, metadata.DefaultModelId));
        Assert.Throws<MindoraConfigurationException>(() => MindoraEmbeddings.Create(new MindoraEmbeddingsOptions { Endpoint = new Uri("http://127.0.0.1:1/v1") }));
    }
}
