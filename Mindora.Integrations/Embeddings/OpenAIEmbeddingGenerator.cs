using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;
using Polly;
using Polly.Retry;
using OpenAIOptions = OpenAI.Embeddings.EmbeddingGenerationOptions;

namespace Mindora.Integrations.Embeddings;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>/embeddings</c> endpoint (OpenAI, Azure OpenAI's v1 API,
/// Ollama, vLLM) through the OpenAI package: inputs go in batches of
/// <see cref="MindoraEmbeddingsOptions.BatchSize"/>; a 429 or a 5xx/network failure is retried
/// with exponential backoff, waiting what the server's <c>retry-after-ms</c> or <c>Retry-After</c>
/// asks (capped by <see cref="MindoraEmbeddingsOptions.MaxRetryDelay"/>); what remains becomes a
/// typed <see cref="MindoraException"/> that never contains the API key.
/// </summary>
internal sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingClient _client;
    private readonly MindoraEmbeddingsOptions _options;
    private readonly ResiliencePipeline _retry;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _model;

    public OpenAIEmbeddingGenerator(MindoraEmbeddingsOptions options, TimeProvider time)
    {
        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme is not ("http" or "https") || string.IsNullOrWhiteSpace(options.Model)
            || options.BatchSize is < 1 or > 2048 || options.MaxRetries < 0 || options.Dimensions is < 1)
        {
            throw new MindoraConfigurationException($"{MindoraEmbeddingsOptions.SectionName}: an OpenAI-compatible endpoint needs an absolute http(s) Endpoint and a Model; BatchSize must be 1 to 2048, MaxRetries at least 0, Dimensions (when set) at least 1.");
        }

        _options = options;
        _model = options.Model;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.RequestTimeout,
            // Retries are ours (Polly), so Retry-After is honoured and the count is configurable.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };

        // Ollama and vLLM need no key, but the client requires one.
        _client = new EmbeddingClient(options.Model, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), clientOptions);
        _metadata = new EmbeddingGeneratorMetadata("openai-compatible", options.Endpoint, options.Model, options.Dimensions);
        _retry = options.MaxRetries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ClientResultException>(e => IsTransient(e.Status)).Handle<HttpRequestException>(),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = options.MaxRetryDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ClientResultException e && RetryAfter(e.GetRawResponse()) is { } wait
                    ? (TimeSpan?)(wait > options.MaxRetryDelay ? options.MaxRetryDelay : wait)
                    : null),
            })
            .Build();
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = EmbeddingInputs.Validate(values, _options.MaxInputCharacters);
        var dimensions = options?.Dimensions ?? _options.Dimensions;
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long tokens = 0;
        foreach (var batch in inputs.Chunk(_options.BatchSize))
        {
            var response = await SendAsync(batch, dimensions, cancellationToken);
            if (response.Count != batch.Length)
            {
                throw new MindoraUnavailableException($"The embeddings endpoint returned {response.Count} embeddings for {batch.Length} inputs.");
            }

            // The service may answer out of order: place each by its index.
            var ordered = new Embedding<float>[batch.Length];
            foreach (var embedding in response)
            {
                if (embedding.Index < 0 || embedding.Index >= batch.Length || ordered[embedding.Index] is not null)
                {
                    throw new MindoraUnavailableException($"The embeddings endpoint returned an embedding with index {embedding.Index} for a batch of {batch.Length}.");
                }

                ordered[embedding.Index] = new Embedding<float>(embedding.ToFloats()) { ModelId = response.Model ?? _model };
            }

            result.AddRange(ordered);
            tokens += response.Usage?.InputTokenCount ?? 0;
        }

        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>Seconds or an HTTP date in <c>Retry-After</c>, or OpenAI's and Azure's <c>retry-after-ms</c>.</summary>
    internal static TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && value is not null)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static bool IsTransient(int status) => status is 0 or 408 or 429 or >= 500;

    private async Task<OpenAIEmbeddingCollection> SendAsync(string[] batch, int? dimensions, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(
                async ct => (await _client.GenerateEmbeddingsAsync(batch, new OpenAIOptions { Dimensions = dimensions }, ct)).Value,
                cancellationToken);
        }
        catch (ClientResultException e)
        {
            // The service's own message may quote the input but never our key; keep it short.
            var detail = e.Message.Length > 300 ? e.Message[..300] + "…" : e.Message;
            throw e.Status switch
            {
                401 or 403 => new MindoraConfigurationException($"The embeddings endpoint {_options.Endpoint} refused the API key ({e.Status}); check {MindoraEmbeddingsOptions.SectionName}:ApiKey."),
                404 => new MindoraConfigurationException($"The embeddings endpoint {_options.Endpoint} does not serve model '{_model}' (404); check {MindoraEmbeddingsOptions.SectionName}:Endpoint and Model."),
                400 or 413 or 422 => new MindoraValidationException("values", $"The embeddings endpoint refused the input ({e.Status}): {detail}"),
                429 => new MindoraUnavailableException($"The embeddings endpoint kept rate-limiting after {_options.MaxRetries} retries; try again later.", e),
                _ => new MindoraUnavailableException($"The embeddings endpoint failed ({e.Status}) after {_options.MaxRetries} retries: {detail}", e),
            };
        }
        catch (HttpRequestException e)
        {
            throw new MindoraUnavailableException($"The embeddings endpoint {_options.Endpoint} could not be reached: {e.Message}", e);
        }
    }
}
