using System.Text.Json.Nodes;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Vectors;
using Mindora.Integrations.Vectors.Embedded;

namespace Mindora.Integrations.Tests.Vectors;

/// <summary>The Vectors suite on the embedded store (every instance opens the same directory, as the processes of one machine do), plus its index.</summary>
public sealed class EmbeddedVectorsTests(TempDirectory temp) : VectorsSuite, IClassFixture<TempDirectory>
{
    private readonly string _directory = temp.NewStoreDirectory();

    [Fact]
    public async Task Hnsw_top_ten_recall_against_exact_search_is_at_least_095_on_20000_vectors_of_768_dimensions()
    {
        using var vectors = Embedded(NewApp(), new MindoraVectorsOptions { HnswThreshold = 1000, HnswEfConstruction = 64 });
        await vectors.EnsureCollectionAsync("big", 768, VectorDistance.Cosine);
        var data = ClusteredVectors(20_000, 768, clusters: 20, seed: 11);
        foreach (var batch in data.Select((v, i) => new VectorPoint($"v{i}", v)).Chunk(2000))
        {
            await vectors.UpsertAsync("big", batch);
        }

        var random = new Random(5);
        var found = 0;
        const int queries = 50;
        for (var q = 0; q < queries; q++)
        {
            var query = Jitter(data[random.Next(data.Length)], random, 0.3f);
            var request = new VectorSearchRequest { Vector = query, Top = 10 };
            var approximate = await vectors.SearchAsync("big", request);
            var exact = await vectors.SearchExactAsync("big", request, CancellationToken.None);
            found += approximate.Select(h => h.Id).Intersect(exact.Select(h => h.Id)).Count();
        }

        var recall = found / (queries * 10.0);
        Assert.True(await vectors.UsesHnswAsync("big", CancellationToken.None));
        Assert.True(recall >= 0.95, $"recall@10 was {recall:F3}");
    }

    [Fact]
    public async Task Through_hnsw_a_selective_filter_still_returns_every_matching_point_best_first()
    {
        using var vectors = Embedded(NewApp(), new MindoraVectorsOptions { HnswThreshold = 100 });
        await vectors.EnsureCollectionAsync("mixed", 16, VectorDistance.Euclidean);
        var data = ClusteredVectors(2000, 16, clusters: 10, seed: 3);
        await vectors.UpsertAsync("mixed", data.Select((v, i) => new VectorPoint($"p{i}", v, new JsonObject { ["rare"] = i % 400 == 0 })).ToList());

        var hits = await vectors.SearchAsync("mixed", new VectorSearchRequest { Vector = data[0], Top = 10, Filter = VectorFilter.Match("rare", true) });

        Assert.True(await vectors.UsesHnswAsync("mixed", CancellationToken.None));
        Assert.Equal(5, hits.Count);
        Assert.Equal("p0", hits[0].Id);
        Assert.Equal(hits.OrderBy(h => h.Score).Select(h => h.Id), hits.Select(h => h.Id));
    }

    [Fact]
    public async Task Updates_and_deletes_after_the_graph_is_built_are_reflected_in_searches_of_every_process()
    {
        var app = NewApp();
        var options = new MindoraVectorsOptions { HnswThreshold = 200 };
        using var writer = Embedded(app, options);
        using var reader = Embedded(app, options);
        await writer.EnsureCollectionAsync("live", 8, VectorDistance.Cosine);
        var data = ClusteredVectors(500, 8, clusters: 5, seed: 9);
        await writer.UpsertAsync("live", data.Select((v, i) => new VectorPoint($"p{i}", v)).ToList());
        Assert.Equal("p42", (await reader.SearchAsync("live", new VectorSearchRequest { Vector = data[42], Top = 1 }))[0].Id);

        await writer.DeleteAsync("live", ["p42"]);
        await writer.UpsertAsync("live", [new VectorPoint("p7", data[42])]);
        var hits = await reader.SearchAsync("live", new VectorSearchRequest { Vector = data[42], Top = 3 });

        Assert.True(await reader.UsesHnswAsync("live", CancellationToken.None));
        Assert.Equal("p7", hits[0].Id);
        Assert.DoesNotContain(hits, h => h.Id == "p42");
        Assert.Equal(499, await reader.CountAsync("live"));
    }

    [Fact]
    public async Task Points_survive_a_restart_and_a_new_process_restores_its_index_from_the_persisted_graph()
    {
        var app = NewApp();
        var data = ClusteredVectors(300, 32, clusters: 4, seed: 1);
        using (var first = Embedded(app, new MindoraVectorsOptions { HnswThreshold = 100 }))
        {
            await first.EnsureCollectionAsync("kept", 32, VectorDistance.Dot);
            await first.UpsertAsync("kept", data.Select((v, i) => new VectorPoint($"p{i}", v, new JsonObject { ["i"] = i })).ToList());
        }

        using var second = Embedded(app, new MindoraVectorsOptions { HnswThreshold = 100 });
        var hits = await second.SearchAsync("kept", new VectorSearchRequest { Vector = data[123], Top = 5, WithVectors = true });
        var exact = await second.SearchExactAsync("kept", new VectorSearchRequest { Vector = data[123], Top = 5 }, CancellationToken.None);

        Assert.Equal(300, await second.CountAsync("kept"));
        Assert.Equal(exact.Select(h => h.Id), hits.Select(h => h.Id));
        Assert.Equal(data[123], (await second.GetAsync("kept", ["p123"], withVectors: true))[0].Vector);
    }

    private protected override IVectorsProvider OpenProvider(string app) => Embedded(app, new MindoraVectorsOptions());

    private EmbeddedVectorsProvider Embedded(string app, MindoraVectorsOptions options) => new(_directory, app, options, null, TimeProvider.System);

    /// <summary>Random but clustered vectors, like embeddings of documents on a few topics.</summary>
    internal static float[][] ClusteredVectors(int count, int dimension, int clusters, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => RandomVector(random, dimension)).ToArray();
        return Enumerable.Range(0, count).Select(_ => Jitter(centres[random.Next(clusters)], random, 0.6f)).ToArray();
    }

    private static float[] Jitter(float[] centre, Random random, float spread) =>
        centre.Select(x => x + (float)((random.NextDouble() * 2 - 1) * spread)).ToArray();
}
