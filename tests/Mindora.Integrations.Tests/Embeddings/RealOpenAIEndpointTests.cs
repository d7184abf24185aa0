using Microsoft.Extensions.AI;
using Mindora.Integrations.Embeddings;

namespace Mindora.Integrations.Tests.Embeddings;

/// <summary>
/// The provider against a real OpenAI-compatible endpoint: MINDORA_TEST_OPENAI_ENDPOINT (e.g.
/// https://api.openai.com/v1 or http://localhost:11434/v1), MINDORA_TEST_OPENAI_KEY and
/// MINDORA_TEST_OPENAI_MODEL (default text-embedding-3-small). Skipped, saying so, without one.
/// </summary>
public sealed class RealOpenAIEndpointTests
{
    [OpenAIEndpointFact]
    public async Task A_real_endpoint_embeds_a_batch_and_similar_texts_are_closer()
    {
        using var generator = MindoraEmbeddings.Create(new MindoraEmbeddingsOptions
        {
            Endpoint = new Uri(Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_ENDPOINT")!),
            ApiKey = Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_KEY"),
            Model = Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_MODEL") is { Length: > 0 } model ? model : "text-embedding-3-small",
            BatchSize = 2,
        });

        var embeddings = await generator.GenerateAsync(["A cat sits on the mat.", "A kitten is resting on a rug.", "Quarterly tax filing deadlines."]);

        Assert.Equal(3, embeddings.Count);
        Assert.True(embeddings[0].Vector.Length >= 64);
        var similar = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var different = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[2].Vector.Span);
        Assert.True(similar > different, $"similar {similar}, different {different}");
    }
}

/// <summary>Runs when MINDORA_TEST_OPENAI_ENDPOINT names an endpoint; otherwise skipped, saying why.</summary>
internal sealed class OpenAIEndpointFactAttribute : FactAttribute
{
    public OpenAIEndpointFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MINDORA_TEST_OPENAI_ENDPOINT")))
        {
            Skip = "SKIPPED: no OpenAI-compatible endpoint; set MINDORA_TEST_OPENAI_ENDPOINT (and MINDORA_TEST_OPENAI_KEY, MINDORA_TEST_OPENAI_MODEL) to run it.";
        }
    }
}
