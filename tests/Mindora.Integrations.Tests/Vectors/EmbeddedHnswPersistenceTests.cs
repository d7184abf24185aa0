using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Vectors;
using Mindora.Integrations.Vectors.Embedded;

namespace Mindora.Integrations.Tests.Vectors;

/// <summary>The embedded store's persisted HNSW graph: shared by instances on one directory, never trusted blindly.</summary>
public sealed class EmbeddedHnswPersistenceTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private const int Dimension = 24;
    private static readonly MindoraVectorsOptions Options = new() { HnswThreshold = 200 };
    private readonly string _directory = temp.NewStoreDirectory();
    private readonly string _app = "app-" + Guid.NewGuid().ToString("N")[..10];
    private readonly float[][] _data = EmbeddedVectorsTests.ClusteredVectors(1200, Dimension, clusters: 6, seed: 17);

    [Fact]
    public async Task A_second_instance_loads_the_persisted_graph_instead_of_building_it()
    {
        using (var first = await BuiltAsync())
        {
            Assert.Equal(1, first.GraphsBuilt);
            Assert.Single(GraphFiles());
        }

        using var second = Open();
        await AssertSearchesMatchExactAsync(second, _data.Select((_, i) => i));

        Assert.Equal(1, second.GraphsLoaded);
        Assert.Equal(0, second.GraphsBuilt);
        Assert.True(await second.UsesHnswAsync("docs", CancellationToken.None));
    }

    [Theory]
    [InlineData("flipped byte")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("other content")]
    public async Task A_damaged_graph_file_is_ignored_and_the_graph_rebuilt_with_correct_results(string damage)
    {
        using (await BuiltAsync())
        {
        }

        var file = Assert.Single(GraphFiles());
        var bytes = await File.ReadAllBytesAsync(file);
        var damaged = damage switch
        {
            "flipped byte" => Flip(bytes, bytes.Length / 2),
            "truncated" => bytes[..(bytes.Length / 3)],
            "empty" => [],
            _ => "MDRHNSW\0 not a graph at all"u8.ToArray(),
        };
        await File.WriteAllBytesAsync(file, damaged);

        using var second = Open();
        await AssertSearchesMatchExactAsync(second, _data.Select((_, i) => i));

        Assert.Equal(0, second.GraphsLoaded);
        Assert.Equal(1, second.GraphsBuilt);
        using var third = Open();
        await AssertSearchesMatchExactAsync(third, [0]);
        Assert.Equal(1, third.GraphsLoaded); // the rebuilt graph was written back over the damaged file
    }

    [Fact]
    public async Task A_graph_built_with_another_m_is_not_reused()
    {
        using (await BuiltAsync())
        {
        }

        using var other = new EmbeddedVectorsProvider(_directory, _app, new MindoraVectorsOptions { HnswThreshold = 200, HnswM = 8 }, null, TimeProvider.System);
        await AssertSearchesMatchExactAsync(other, [3, 500]);

        Assert.Equal(0, other.GraphsLoaded);
        Assert.Equal(1, other.GraphsBuilt);
    }

    [Fact]
    public async Task A_loaded_graph_reflects_upserts_replacements_and_deletes_made_by_another_instance_after_it_was_written()
    {
        using (await BuiltAsync())
        {
        }

        using (var writer = Open())
        {
            await writer.DeleteAsync("docs", ["p10", "p11"]);
            await writer.UpsertAsync("docs", [new VectorPoint("p12", _data[900]), new VectorPoint("fresh", _data[10])]);
            await writer.DeleteAsync("docs", VectorFilter.Match("never", true));
        }

        using var reader = Open();
        var atTen = await reader.SearchAsync("docs", new VectorSearchRequest { Vector = _data[10], Top = 3 });
        var atNineHundred = await reader.SearchAsync("docs", new VectorSearchRequest { Vector = _data[900], Top = 2 });
        var atTwelve = await reader.SearchAsync("docs", new VectorSearchRequest { Vector = _data[12], Top = 5 });

        Assert.Equal(1, reader.GraphsLoaded);
        Assert.Equal(0, reader.GraphsBuilt);
        Assert.Equal("fresh", atTen[0].Id);
        Assert.DoesNotContain(atTen, h => h.Id is "p10" or "p11");
        Assert.Equal(["p12", "p900"], atNineHundred.Select(h => h.Id).Order());
        Assert.DoesNotContain(atTwelve, h => h.Id == "p12");
        Assert.Equal(1199, await reader.CountAsync("docs"));
        await AssertSearchesMatchExactAsync(reader, [0, 12, 400, 1100]);
    }

    [Fact]
    public async Task A_graph_file_whose_points_are_mostly_gone_is_not_reused_and_the_graph_is_rebuilt()
    {
        using (await BuiltAsync())
        {
        }

        using (var writer = Open())
        {
            await writer.UpsertAsync("docs", _data.Take(250).Select((v, i) => new VectorPoint($"x{i}", v)).ToList());
            await writer.DeleteAsync("docs", _data.Select((_, i) => $"p{i}").ToList());
        }

        using var reader = Open();
        var hits = await reader.SearchAsync("docs", new VectorSearchRequest { Vector = _data[5], Top = 1 });

        Assert.Equal("x5", hits[0].Id);
        Assert.Equal(0, reader.GraphsLoaded);
        Assert.Equal(1, reader.GraphsBuilt);
        Assert.Equal(250, await reader.CountAsync("docs"));
    }

    [Fact]
    public async Task Searches_in_one_instance_see_what_another_wrote_after_the_first_loaded_the_graph()
    {
        using (await BuiltAsync())
        {
        }

        using var reader = Open();
        using var writer = Open();
        await AssertSearchesMatchExactAsync(reader, [5]);
        await writer.DeleteAsync("docs", ["p5"]);
        await writer.UpsertAsync("docs", [new VectorPoint("moved", _data[5])]);

        var hits = await reader.SearchAsync("docs", new VectorSearchRequest { Vector = _data[5], Top = 2 });

        Assert.Equal(1, reader.GraphsLoaded);
        Assert.Equal("moved", hits[0].Id);
        Assert.DoesNotContain(hits, h => h.Id == "p5");
    }

    [Fact]
    public async Task Deleting_the_collection_removes_its_graph_file_and_a_re_created_one_builds_afresh()
    {
        using var vectors = await BuiltAsync();
        Assert.Single(GraphFiles());

        await vectors.DeleteCollectionAsync("docs");
        Assert.Empty(GraphFiles());

        await vectors.EnsureCollectionAsync("docs", Dimension, VectorDistance.Euclidean);
        await vectors.UpsertAsync("docs", _data.Take(300).Select((v, i) => new VectorPoint($"q{i}", v)).ToList());
        var hits = await vectors.SearchAsync("docs", new VectorSearchRequest { Vector = _data[7], Top = 1 });

        Assert.Equal("q7", hits[0].Id);
        Assert.Equal(2, vectors.GraphsBuilt);
        Assert.Single(GraphFiles());
    }

    private async Task<EmbeddedVectorsProvider> BuiltAsync()
    {
        var vectors = Open();
        await vectors.EnsureCollectionAsync("docs", Dimension, VectorDistance.Cosine);
        await vectors.UpsertAsync("docs", _data.Select((v, i) => new VectorPoint($"p{i}", v)).ToList());
        await vectors.CountAsync("docs");
        return vectors;
    }

    private EmbeddedVectorsProvider Open() => new(_directory, _app, Options, null, TimeProvider.System);

    private string[] GraphFiles() => Directory.GetFiles(_directory, "*.hnsw");

    /// <summary>On 1,200 points the default efSearch (160) sees enough of the graph for the exact top 5.</summary>
    private async Task AssertSearchesMatchExactAsync(EmbeddedVectorsProvider vectors, IEnumerable<int> probes)
    {
        foreach (var probe in probes.Where(p => p % 97 == 0 || p < 20))
        {
            var request = new VectorSearchRequest { Vector = _data[probe], Top = 5 };
            var approximate = await vectors.SearchAsync("docs", request);
            var exact = await vectors.SearchExactAsync("docs", request, CancellationToken.None);
            Assert.Equal(exact.Select(h => h.Id), approximate.Select(h => h.Id));
            Assert.Equal(exact.Select(h => h.Score), approximate.Select(h => h.Score));
        }
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x5A;
        return copy;
    }
}
