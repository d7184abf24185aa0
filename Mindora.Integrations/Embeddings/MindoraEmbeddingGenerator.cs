using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Mindora.Integrations.Cache;

namespace Mindora.Integrations.Embeddings;

/// <summary>
/// What apps get as <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>: the configured
/// generator behind a cache keyed by content hash (SHA-256 of model, dimensions and text) in the
/// app's <see cref="IMindoraCache"/> when one is registered, with telemetry <c>Mindora.Embeddings</c>.
/// Identical inputs in one call are embedded once. A cache that is down only costs a recompute.
/// </summary>
internal sealed class MindoraEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _inner;
    private readonly IMindoraCache? _cache;
    private readonly TimeSpan _timeToLive;
    private readonly int _maxInputCharacters;
    private readonly string _model;
    private readonly int? _dimensions;
    private readonly MindoraInstrumentation _telemetry;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;

    public MindoraEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, IMindoraCache? cache, MindoraEmbeddingsOptions options, IMeterFactory? meterFactory)
    {
        _inner = inner;
        _cache = options.CacheTimeToLive > TimeSpan.Zero ? cache : null;
        _timeToLive = options.CacheTimeToLive;
        _maxInputCharacters = options.MaxInputCharacters;
        var metadata = inner.GetService<EmbeddingGeneratorMetadata>();
        _model = metadata?.DefaultModelId ?? "unknown";
        _dimensions = options.Dimensions ?? metadata?.DefaultModelDimensions;
        _telemetry = new MindoraInstrumentation("Embeddings", "mindora.embeddings", "embeddings", "mindora.model", meterFactory);
        _hits = _telemetry.CreateCounter("cache_hits", "{embedding}", "Embeddings served from the cache.");
        _misses = _telemetry.CreateCounter("generated", "{embedding}", "Embeddings computed by the generator.");
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = EmbeddingInputs.Validate(values, _maxInputCharacters);
        return _telemetry.RunAsync("generate", "-", _model, async () =>
        {
            var dimensions = options?.Dimensions ?? _dimensions;
            var keys = inputs.Select(text => Key(text, dimensions)).ToArray();
            var found = new Dictionary<string, Embedding<float>>(StringComparer.Ordinal);
            if (_cache is not null)
            {
                foreach (var key in keys.Distinct(StringComparer.Ordinal))
                {
                    if (await TryGetCachedAsync(key, cancellationToken) is { } cached)
                    {
                        found[key] = cached;
                    }
                }
            }

            _hits.Add(keys.Count(found.ContainsKey));
            UsageDetails? usage = null;
            var missing = keys.Select((key, i) => (key, i)).Where(x => !found.ContainsKey(x.key)).DistinctBy(x => x.key).ToList();
            if (missing.Count > 0)
            {
                var generated = await _inner.GenerateAsync(missing.Select(m => inputs[m.i]).ToList(), options, cancellationToken);
                _misses.Add(missing.Count);
                usage = generated.Usage;
                for (var j = 0; j < missing.Count; j++)
                {
                    found[missing[j].key] = generated[j];
                    if (_cache is not null)
                    {
                        await TrySetCachedAsync(missing[j].key, generated[j], cancellationToken);
                    }
                }
            }

            // Usage counts only what the generator computed (cache hits cost nothing).
            return new GeneratedEmbeddings<Embedding<float>>(keys.Select(k => found[k])) { Usage = usage };
        });
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _inner.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        _inner.Dispose();
        _telemetry.Dispose();
    }

    private string Key(string text, int? dimensions)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{_model}\0{dimensions}\0{text}"));
        return "embeddings:" + Convert.ToHexStringLower(hash);
    }

    private async Task<Embedding<float>?> TryGetCachedAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await _cache!.GetAsync<byte[]>(key, cancellationToken);
            return bytes is { Length: > 0 } && bytes.Length % 4 == 0
                ? new Embedding<float>(MemoryMarshal.Cast<byte, float>(bytes).ToArray()) { ModelId = _model }
                : null;
        }
        catch (MindoraUnavailableException)
        {
            return null;
        }
    }

    private async Task TrySetCachedAsync(string key, Embedding<float> embedding, CancellationToken cancellationToken)
    {
        try
        {
            await _cache!.SetAsync(key, MemoryMarshal.AsBytes(embedding.Vector.Span).ToArray(), _timeToLive, cancellationToken);
        }
        catch (MindoraUnavailableException)
        {
            // The embedding is returned anyway; the next call recomputes it.
        }
    }
}
