using System.Text.Json.Nodes;
using Mindora.Integrations.Vectors;
using Mindora.Integrations.Vectors.Qdrant;

namespace Mindora.Integrations.Tests.Vectors;

/// <summary>The translation to Qdrant's REST JSON (runs without a server; the suite checks the behaviour against one).</summary>
public sealed class QdrantJsonTests
{
    [Fact]
    public void Filters_become_qdrant_conditions_with_nested_bools_and_without_empty_clauses()
    {
        var filter = VectorFilter.Bool(
            must: [VectorFilter.Match("lang", "zh"), VectorFilter.Range("page", gte: 2, lt: 5)],
            mustNot: [VectorFilter.Bool(should: [VectorFilter.Match("public", true), VectorFilter.Match("n", 7)])]);

        var json = QdrantJson.Filter(filter).ToJsonString();

        Assert.Equal(
            """{"must":[{"key":"lang","match":{"value":"zh"}},{"key":"page","range":{"gte":2,"lt":5}}],"must_not":[{"should":[{"key":"public","match":{"value":true}},{"key":"n","match":{"value":7}}]}]}""",
            json);
        Assert.Equal("""{"must":[{"key":"a.b","match":{"value":"x"}}]}""", QdrantJson.Filter(VectorFilter.Match("a.b", "x")).ToJsonString());
    }

    [Fact]
    public void Point_ids_are_stable_uuids_and_hits_get_the_mindora_id_back_from_the_payload()
    {
        var id = QdrantJson.PointId("doc-1:chunk-3");

        var hit = QdrantJson.Hit(JsonNode.Parse($$"""{"id":"{{id}}","score":0.5,"payload":{"mindora_id":"doc-1:chunk-3","page":2},"vector":[1,0]}""")!);

        Assert.Equal(id, QdrantJson.PointId("doc-1:chunk-3"));
        Assert.NotEqual(id, QdrantJson.PointId("doc-1:chunk-4"));
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(("doc-1:chunk-3", 0.5), (hit.Id, hit.Score));
        Assert.Equal("""{"page":2}""", hit.Payload!.ToJsonString());
        Assert.Equal([1f, 0f], hit.Vector!);
    }
}
