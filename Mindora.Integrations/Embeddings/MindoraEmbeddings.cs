using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Mindora.Integrations.Cache;

namespace Mindora.Integrations.Embeddings;

/// <summary>Builds the embedding generator an app gets, in a host or without one.</summary>
public static class MindoraEmbeddings
{
    /// <summary>
    /// The generator for <paramref name="options"/>: OpenAI-compatible when <c>Endpoint</c> is set,
    /// else local hashed n-grams; cached by content hash in <paramref name="cache"/> when given.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">The options are unusable.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(MindoraEmbeddingsOptions options, IMindoraCache? cache = null, IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxInputCharacters < 1 || options.CacheTimeToLive < TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero || options.MaxRetryDelay < TimeSpan.Zero)
        {
            throw new MindoraConfigurationException($"{MindoraEmbeddingsOptions.SectionName}: MaxInputCharacters must be at least 1, RequestTimeout positive, CacheTimeToLive and MaxRetryDelay not negative.");
        }

        IEmbeddingGenerator<string, Embedding<float>> inner = options.Endpoint is null
            ? new LocalHashingEmbeddingGenerator(options.Dimensions ?? 768, options.MaxInputCharacters)
            : new OpenAIEmbeddingGenerator(options, time ?? TimeProvider.System);
        return new MindoraEmbeddingGenerator(inner, cache, options, meterFactory);
    }
}
