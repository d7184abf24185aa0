using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Vectors;

namespace Mindora.Integrations.Tests.Vectors;

/// <summary>
/// The Vectors contract, run against every provider (one subclass each). <see cref="Open"/> opens
/// a new instance of the store for an app — what another process of that app would have.
/// </summary>
public abstract class VectorsSuite : IAsyncLifetime
{
    private readonly ConcurrentBag<IDisposable> _opened = [];

    /// <summary>A new instance of the store, acting for <paramref name="app"/>.</summary>
    private protected abstract IVectorsProvider OpenProvider(string app);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var provider in _opened)
        {
            provider.Dispose();
        }

        return Task.CompletedTask;
    }

    [SuiteTheory]
    [InlineData(768, VectorDistance.Cosine)]
    [InlineData(1536, VectorDistance.Dot)]
    [InlineData(768, VectorDistance.Euclidean)]
    public async Task A_collection_of_any_dimension_finds_the_point_it_was_given_first(int dimension, VectorDistance distance)
    {
        var vectors = Open(NewApp());
        await vectors.EnsureCollectionAsync("chunks", dimension, distance);
        var random = new Random(dimension);
        var points = Enumerable.Range(0, 50).Select(i => new VectorPoint($"p{i}", RandomVector(random, dimension), new JsonObject { ["n"] = i })).ToList();
        await vectors.UpsertAsync("chunks", points);

        var hits = await vectors.SearchAsync("chunks", new VectorSearchRequest { Vector = points[17].Vector, Top = 3 });
        var info = await vectors.GetCollectionAsync("chunks");

        Assert.Equal("p17", hits[0].Id);
        Assert.Equal(17, hits[0].Payload!["n"]!.GetValue<int>());
        Assert.Equal(3, hits.Count);
        Assert.Equal(new VectorCollectionInfo("chunks", dimension, distance, 50), info);
    }

    [SuiteFact]
    public async Task Scores_follow_the_distance_cosine_and_dot_are_similarities_euclidean_is_a_distance()
    {
        var vectors = Open(NewApp());
        foreach (var distance in new[] { VectorDistance.Cosine, VectorDistance.Dot, VectorDistance.Euclidean })
        {
            var name = distance.ToString().ToLowerInvariant();
            await vectors.EnsureCollectionAsync(name, 2, distance);
            await vectors.UpsertAsync(name, [new VectorPoint("x", new float[] { 3, 0 }), new VectorPoint("y", new float[] { 0, 2 })]);
        }

        var cosine = await vectors.SearchAsync("cosine", new VectorSearchRequest { Vector = new float[] { 1, 1 } });
        var dot = await vectors.SearchAsync("dot", new VectorSearchRequest { Vector = new float[] { 1, 2 } });
        var euclidean = await vectors.SearchAsync("euclidean", new VectorSearchRequest { Vector = new float[] { 0, 1 } });

        Assert.All(cosine, h => Assert.Equal(Math.Sqrt(0.5), h.Score, 4));
        Assert.Equal([("y", 4.0), ("x", 3.0)], dot.Select(h => (h.Id, Math.Round(h.Score, 4))));
        Assert.Equal([("y", 1.0), ("x", Math.Round(Math.Sqrt(10), 4))], euclidean.Select(h => (h.Id, Math.Round(h.Score, 4))));
    }

    [SuiteFact]
    public async Task A_score_threshold_is_a_minimum_similarity_and_a_maximum_distance()
    {
        var vectors = Open(NewApp());
        await vectors.EnsureCollectionAsync("cos", 2, VectorDistance.Cosine);
        await vectors.EnsureCollectionAsync("l2", 2, VectorDistance.Euclidean);
        VectorPoint[] points = [new("near", new float[] { 1, 0.1f }), new("far", new float[] { -1, 0 }), new("side", new float[] { 0, 1 })];
        await vectors.UpsertAsync("cos", points);
        await vectors.UpsertAsync("l2", points);

        var similar = await vectors.SearchAsync("cos", new VectorSearchRequest { Vector = new float[] { 1, 0 }, ScoreThreshold = 0.5 });
        var close = await vectors.SearchAsync("l2", new VectorSearchRequest { Vector = new float[] { 1, 0 }, ScoreThreshold = 1.5 });

        Assert.Equal(["near"], similar.Select(h => h.Id));
        Assert.Equal(["near", "side"], close.Select(h => h.Id));
    }

    [SuiteFact]
    public async Task Payload_filters_match_keywords_integers_booleans_arrays_nested_fields_and_ranges()
    {
        var vectors = Open(NewApp());
        await SeedDocumentsAsync(vectors);
        var query = new float[] { 1, 0, 0 };

        async Task<string[]> Ids(VectorFilter filter) =>
            (await vectors.SearchAsync("docs", new VectorSearchRequest { Vector = query, Top = 10, Filter = filter })).Select(h => h.Id).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["a", "c"], await Ids(VectorFilter.Match("lang", "en")));
        Assert.Equal(["b"], await Ids(VectorFilter.Match("page", 2)));
        Assert.Equal(["a", "d"], await Ids(VectorFilter.Match("public", true)));
        Assert.Equal(["a", "b"], await Ids(VectorFilter.Match("tags", "rag")));
        Assert.Equal(["b", "d"], await Ids(VectorFilter.Match("meta.source", "pdf")));
        Assert.Equal(["b", "c"], await Ids(VectorFilter.Range("page", gte: 2, lt: 4)));
        Assert.Equal(["c"], await Ids(VectorFilter.Bool(
            must: [VectorFilter.Range("page", gt: 1)],
            should: [VectorFilter.Match("lang", "en"), VectorFilter.Match("tags", "none")],
            mustNot: [VectorFilter.Match("public", true)])));
        Assert.Equal(["b", "c", "d"], await Ids(VectorFilter.Bool(mustNot: [VectorFilter.Bool(must: [VectorFilter.Match("lang", "en"), VectorFilter.Match("public", true)])])));
    }

    [SuiteFact]
    public async Task Count_delete_by_filter_and_delete_by_id_report_what_they_touched()
    {
        var vectors = Open(NewApp());
        await SeedDocumentsAsync(vectors);

        Assert.Equal(4, await vectors.CountAsync("docs"));
        Assert.Equal(2, await vectors.CountAsync("docs", VectorFilter.Match("lang", "en")));
        Assert.Equal(2, await vectors.DeleteAsync("docs", VectorFilter.Match("meta.source", "pdf")));
        Assert.Equal(1, await vectors.DeleteAsync("docs", ["a", "b", "missing"]));
        Assert.Equal(0, await vectors.DeleteAsync("docs", VectorFilter.Match("lang", "nope")));
        Assert.Equal(["c"], (await vectors.ScrollAsync("docs")).Points.Select(p => p.Id));
    }

    [SuiteFact]
    public async Task Get_returns_the_existing_points_in_the_order_asked_with_vectors_on_request()
    {
        var vectors = Open(NewApp());
        await SeedDocumentsAsync(vectors);

        var hits = await vectors.GetAsync("docs", ["c", "missing", "a"], withVectors: true);
        var bare = await vectors.GetAsync("docs", ["b"]);

        Assert.Equal(["c", "a"], hits.Select(h => h.Id));
        Assert.Equal("en", hits[1].Payload!["lang"]!.GetValue<string>());
        Assert.Equal([1f, 0f, 0f], hits[1].Vector!.Select(x => MathF.Round(x, 5)));
        Assert.Null(bare[0].Vector);
    }

    [SuiteFact]
    public async Task Upserting_an_existing_id_replaces_its_vector_and_payload()
    {
        var vectors = Open(NewApp());
        await SeedDocumentsAsync(vectors);

        await vectors.UpsertAsync("docs", [new VectorPoint("a", new float[] { 0, 0, 1 }, new JsonObject { ["lang"] = "fr" })]);
        var hits = await vectors.SearchAsync("docs", new VectorSearchRequest { Vector = new float[] { 0, 0, 1 }, Top = 1 });

        Assert.Equal(4, await vectors.CountAsync("docs"));
        Assert.Equal("a", hits[0].Id);
        Assert.Equal("fr", hits[0].Payload!["lang"]!.GetValue<string>());
        Assert.Equal(1, await vectors.CountAsync("docs", VectorFilter.Match("public", true)));
    }

    [SuiteFact]
    public async Task Scroll_pages_through_every_matching_point_exactly_once()
    {
        var vectors = Open(NewApp());
        await vectors.EnsureCollectionAsync("many", 4, VectorDistance.Dot);
        var random = new Random(7);
        await vectors.UpsertAsync("many", Enumerable.Range(0, 700).Select(i => new VectorPoint($"id-{i:D4}", RandomVector(random, 4), new JsonObject { ["even"] = i % 2 == 0 })).ToList());

        var seen = new List<string>();
        string? offset = null;
        var pages = 0;
        do
        {
            var page = await vectors.ScrollAsync("many", VectorFilter.Match("even", true), limit: 64, offset: offset);
            seen.AddRange(page.Points.Select(p => p.Id));
            offset = page.NextOffset;
            pages++;
        }
        while (offset is not null && pages < 100);

        Assert.Equal(700, await vectors.CountAsync("many"));
        Assert.Equal(350, seen.Count);
        Assert.Equal(Enumerable.Range(0, 350).Select(i => $"id-{i * 2:D4}").ToHashSet(), seen.ToHashSet());
    }

    [SuiteFact]
    public async Task A_wrong_dimension_or_a_non_finite_component_is_rejected_and_nothing_of_the_batch_is_written()
    {
        var vectors = Open(NewApp());
        await vectors.EnsureCollectionAsync("strict", 3, VectorDistance.Cosine);
        var good = new VectorPoint("good", new float[] { 1, 2, 3 });

        var shortVector = await Assert.ThrowsAsync<MindoraVectorException>(() => vectors.UpsertAsync("strict", [good, new VectorPoint("short", new float[] { 1, 2 })]));
        var nan = await Assert.ThrowsAsync<MindoraVectorException>(() => vectors.UpsertAsync("strict", [good, new VectorPoint("nan", new float[] { 1, float.NaN, 3 })]));
        var infinite = await Assert.ThrowsAsync<MindoraVectorException>(() => vectors.UpsertAsync("strict", [good, new VectorPoint("inf", new float[] { float.PositiveInfinity, 0, 0 })]));
        var zero = await Assert.ThrowsAsync<MindoraVectorException>(() => vectors.UpsertAsync("strict", [new VectorPoint("zero", new float[3])]));
        var query = await Assert.ThrowsAsync<MindoraVectorException>(() => vectors.SearchAsync("strict", new VectorSearchRequest { Vector = new float[1536] }));

        Assert.Equal(("dimension_mismatch", "invalid_vector", "invalid_vector", "invalid_vector", "dimension_mismatch"), (shortVector.ErrorCode, nan.ErrorCode, infinite.ErrorCode, zero.ErrorCode, query.ErrorCode));
        Assert.Contains("dimension is 3", shortVector.Message, StringComparison.Ordinal);
        Assert.Contains("index 1", nan.Message, StringComparison.Ordinal);
        Assert.Equal(0, await vectors.CountAsync("strict"));
    }

    [SuiteFact]
    public async Task Bad_ids_payloads_and_arguments_are_rejected_before_anything_is_written()
    {
        var vectors = Open(NewApp());
        await vectors.EnsureCollectionAsync("strict", 2, VectorDistance.Dot);
        var v = new float[] { 1, 1 };

        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => vectors.UpsertAsync("strict", [new VectorPoint("ok", v), new VectorPoint("", v)]));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => vectors.UpsertAsync("strict", [new VectorPoint("line\nbreak", v)]));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => vectors.UpsertAsync("strict", [new VectorPoint(new string('x', 201), v)]));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.UpsertAsync("strict", [new VectorPoint("dup", v), new VectorPoint("dup", v)]));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.UpsertAsync("strict", [new VectorPoint("reserved", v, new JsonObject { ["mindora_id"] = "spoof" })]));
        await Assert.ThrowsAsync<MindoraPayloadTooLargeException>(() => vectors.UpsertAsync("strict", [new VectorPoint("big", v, new JsonObject { ["text"] = new string('x', 70_000) })]));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.SearchAsync("strict", new VectorSearchRequest { Vector = v, Top = 0 }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.SearchAsync("strict", new VectorSearchRequest { Vector = v, Top = 1001 }));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.SearchAsync("strict", new VectorSearchRequest { Vector = v, ScoreThreshold = double.NaN }));
        await Assert.ThrowsAsync<MindoraInvalidNameException>(() => vectors.CountAsync("strict", VectorFilter.Match("a' OR 1=1 --", "x")));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.CountAsync("strict", VectorFilter.Range("page")));
        await Assert.ThrowsAsync<MindoraValidationException>(() => vectors.EnsureCollectionAsync("huge", 100_000, VectorDistance.Dot));
        await Assert.ThrowsAsync<MindoraConflictException>(() => vectors.EnsureCollectionAsync("strict", 3, VectorDistance.Dot));

        Assert.Equal(0, await vectors.CountAsync("strict"));
        Assert.Null(await vectors.GetCollectionAsync("huge"));
    }

    [SuiteTheory]
    [InlineData("Chunks")]
    [InlineData("../etc")]
    [InlineData("a_b")]
    [InlineData("x; DROP TABLE vector_points")]
    [InlineData("")]
    public async Task Collection_names_outside_the_rule_are_refused(string name)
    {
        var vectors = Open(NewApp());

        var error = await Assert.ThrowsAsync<MindoraInvalidNameException>(() => vectors.EnsureCollectionAsync(name, 3, VectorDistance.Cosine));

        Assert.Equal("vector collection", error.Kind);
        Assert.Contains("allowed is", error.Message, StringComparison.Ordinal);
    }

    [SuiteFact]
    public async Task An_unknown_collection_is_a_not_found_error_for_every_point_operation()
    {
        var vectors = Open(NewApp());
        var v = new float[] { 1, 0 };

        await Assert.ThrowsAsync<MindoraNotFoundException>(() => vectors.UpsertAsync("nope", [new VectorPoint("a", v)]));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => vectors.SearchAsync("nope", new VectorSearchRequest { Vector = v }));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => vectors.CountAsync("nope"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => vectors.GetAsync("nope", ["a"]));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => vectors.ScrollAsync("nope"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => vectors.DeleteAsync("nope", ["a"]));
        Assert.Null(await vectors.GetCollectionAsync("nope"));
        Assert.False(await vectors.DeleteCollectionAsync("nope"));
    }

    [SuiteFact]
    public async Task One_app_never_sees_the_collections_of_another()
    {
        var first = Open(NewApp());
        var second = Open(NewApp());
        await first.EnsureCollectionAsync("private", 2, VectorDistance.Cosine);
        await first.UpsertAsync("private", [new VectorPoint("secret", new float[] { 1, 0 })]);

        Assert.Null(await second.GetCollectionAsync("private"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => second.SearchAsync("private", new VectorSearchRequest { Vector = new float[] { 1, 0 } }));
        await second.EnsureCollectionAsync("private", 2, VectorDistance.Cosine);
        Assert.Equal(0, await second.CountAsync("private"));
        Assert.Equal(1, await first.CountAsync("private"));
    }

    [SuiteFact]
    public async Task Points_written_and_deleted_by_one_process_are_seen_by_another()
    {
        var app = NewApp();
        var api = Open(app);
        var worker = Open(app);
        await api.EnsureCollectionAsync("shared", 3, VectorDistance.Cosine);
        Assert.Equal(0, await worker.CountAsync("shared"));

        await worker.UpsertAsync("shared", [new VectorPoint("w1", new float[] { 1, 0, 0 }), new VectorPoint("w2", new float[] { 0, 1, 0 })]);
        var found = await api.SearchAsync("shared", new VectorSearchRequest { Vector = new float[] { 0, 1, 0 }, Top = 1 });
        await api.DeleteAsync("shared", ["w2"]);
        var afterDelete = await worker.SearchAsync("shared", new VectorSearchRequest { Vector = new float[] { 0, 1, 0 } });

        Assert.Equal("w2", found.Single().Id);
        Assert.Equal(["w1"], afterDelete.Select(h => h.Id));
    }

    [SuiteFact]
    public async Task A_deleted_collection_is_gone_everywhere_and_can_be_created_again_with_another_shape()
    {
        var app = NewApp();
        var first = Open(app);
        var second = Open(app);
        await first.EnsureCollectionAsync("temp", 2, VectorDistance.Cosine);
        await first.UpsertAsync("temp", [new VectorPoint("a", new float[] { 1, 0 })]);
        Assert.Equal(1, await second.CountAsync("temp"));

        Assert.True(await first.DeleteCollectionAsync("temp"));
        await Assert.ThrowsAsync<MindoraNotFoundException>(() => second.CountAsync("temp"));
        await second.EnsureCollectionAsync("temp", 3, VectorDistance.Euclidean);

        Assert.Equal(0, await first.CountAsync("temp"));
        Assert.Equal(new VectorCollectionInfo("temp", 3, VectorDistance.Euclidean, 0), await first.GetCollectionAsync("temp"));
    }

    [SuiteFact]
    public async Task A_large_upsert_is_sent_in_batches_and_fully_stored()
    {
        var vectors = Open(NewApp());
        await vectors.EnsureCollectionAsync("bulk", 768, VectorDistance.Cosine);
        var random = new Random(3);
        var points = Enumerable.Range(0, 1000).Select(i => new VectorPoint($"chunk-{i}", RandomVector(random, 768), new JsonObject { ["i"] = i })).ToList();

        await vectors.UpsertAsync("bulk", points);

        Assert.Equal(1000, await vectors.CountAsync("bulk"));
        Assert.Equal(10, await vectors.CountAsync("bulk", VectorFilter.Range("i", gte: 500, lt: 510)));
        Assert.Equal("chunk-999", (await vectors.SearchAsync("bulk", new VectorSearchRequest { Vector = points[999].Vector, Top = 1 }))[0].Id);
    }

    [SuiteFact]
    public async Task The_health_probe_succeeds_against_a_usable_store()
    {
        var vectors = OpenProvider(NewApp());
        _opened.Add(vectors);

        await vectors.ProbeAsync(CancellationToken.None);
    }

    protected static float[] RandomVector(Random random, int dimension)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return vector;
    }

    protected static string NewApp() => "app-" + Guid.NewGuid().ToString("N")[..10];

    private protected IVectorsProvider Open(string app)
    {
        var provider = OpenProvider(app);
        _opened.Add(provider);
        return provider;
    }

    private static async Task SeedDocumentsAsync(IMindoraVectors vectors)
    {
        await vectors.EnsureCollectionAsync("docs", 3, VectorDistance.Cosine);
        await vectors.UpsertAsync("docs",
        [
            new VectorPoint("a", new float[] { 1, 0, 0 }, JsonNode.Parse("""{"lang":"en","page":1,"public":true,"tags":["rag","intro"],"meta":{"source":"md"}}""")!.AsObject()),
            new VectorPoint("b", new float[] { 0.9f, 0.1f, 0 }, JsonNode.Parse("""{"lang":"zh","page":2,"public":false,"tags":["rag"],"meta":{"source":"pdf"}}""")!.AsObject()),
            new VectorPoint("c", new float[] { 0.5f, 0.5f, 0 }, JsonNode.Parse("""{"lang":"en","page":3,"tags":[],"meta":{"source":"docx"}}""")!.AsObject()),
            new VectorPoint("d", new float[] { 0, 1, 0 }, JsonNode.Parse("""{"lang":"de","page":7.5,"public":true,"meta":{"source":"pdf"}}""")!.AsObject()),
        ]);
    }
}
