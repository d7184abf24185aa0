using System.Numerics.Tensors;
using Mindora.Integrations.Embeddings;

namespace Mindora.Integrations.Tests.Embeddings;

public sealed class LocalHashingEmbeddingGeneratorTests
{
    private readonly LocalHashingEmbeddingGenerator _generator = new();

    [Fact]
    public async Task Embeddings_are_768_dimensional_unit_vectors_and_the_same_in_every_instance()
    {
        using var other = new LocalHashingEmbeddingGenerator();

        var first = await _generator.GenerateAsync(["Qdrant stores embeddings."]);
        var second = await other.GenerateAsync(["Qdrant stores embeddings."]);

        Assert.Equal(768, first[0].Vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(first[0].Vector.Span), 4);
        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Equal(LocalHashingEmbeddingGenerator.ModelId, first[0].ModelId);
    }

    [Fact]
    public void Texts_sharing_words_are_closer_than_texts_that_do_not()
    {
        var query = _generator.Embed("vector database for embeddings");

        var related = Cosine(query, _generator.Embed("The vector database stores embeddings of documents."));
        var inflected = Cosine(query, _generator.Embed("Databases of vectors"));
        var unrelated = Cosine(query, _generator.Embed("Fresh pasta with tomatoes and basil."));

        Assert.True(related > 0.4, $"related {related}");
        Assert.True(inflected > unrelated + 0.1, $"inflected {inflected}, unrelated {unrelated}");
        Assert.True(unrelated < 0.15, $"unrelated {unrelated}");
    }

    [Fact]
    public void Chinese_text_is_matched_by_character_bigrams()
    {
        var query = _generator.Embed("向量数据库");

        var containing = Cosine(query, _generator.Embed("我们使用向量数据库存储文档的嵌入。"));
        var other = Cosine(query, _generator.Embed("今天天气很好，我们去公园散步。"));
        var mixed = Cosine(_generator.Embed("Qdrant 向量数据库"), _generator.Embed("qdrant是一个向量数据库"));

        Assert.True(containing > 0.4, $"containing {containing}");
        Assert.True(other < 0.1, $"other {other}");
        Assert.True(mixed > 0.6, $"mixed {mixed}");
    }

    [Fact]
    public void Case_and_full_width_forms_do_not_change_the_embedding()
    {
        Assert.Equal(_generator.Embed("Vector SEARCH 2024"), _generator.Embed("vector search ２０２４"));
    }

    [Fact]
    public async Task Empty_or_oversized_inputs_are_refused()
    {
        using var small = new LocalHashingEmbeddingGenerator(maxInputCharacters: 5);

        await Assert.ThrowsAsync<MindoraValidationException>(() => _generator.GenerateAsync(["fine", ""]));
        await Assert.ThrowsAsync<MindoraValidationException>(() => _generator.GenerateAsync(["\t \n"]));
        await Assert.ThrowsAsync<MindoraValidationException>(() => small.GenerateAsync(["too long"]));
        Assert.Throws<MindoraConfigurationException>(() => new LocalHashingEmbeddingGenerator(dimensions: 4));
    }

    private static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);
}
