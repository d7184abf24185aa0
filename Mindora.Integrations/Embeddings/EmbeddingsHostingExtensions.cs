using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mindora.Integrations;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Embeddings;

namespace Microsoft.Extensions.Hosting;

public static partial class MindoraHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> (Microsoft.Extensions.AI) with
    /// options from <c>Mindora:Embeddings</c>: an OpenAI-compatible endpoint when <c>Endpoint</c> is
    /// set, otherwise the local hashed n-gram generator (lexical, not semantic; 768 dimensions). When
    /// the app has <see cref="IMindoraCache"/>, embeddings are cached by content hash. A generator
    /// registered before is kept; calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MindoraConfigurationException">The options are unusable (reported when the generator is first resolved).</exception>
    public static IHostApplicationBuilder AddMindoraEmbeddings(this IHostApplicationBuilder builder, Action<MindoraEmbeddingsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<MindoraEmbeddingsOptions>().BindConfiguration(MindoraEmbeddingsOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!MindoraRegistration.IsRegistered<IEmbeddingGenerator<string, Embedding<float>>>(builder.Services))
        {
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => MindoraEmbeddings.Create(
                sp.GetRequiredService<IOptions<MindoraEmbeddingsOptions>>().Value,
                sp.GetService<IMindoraCache>(),
                sp.GetService<IMeterFactory>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System));
        }

        return builder;
    }
}
