namespace Mindora.Integrations.Embeddings;

/// <summary>
/// Settings of the Embeddings capability, bound from <c>Mindora:Embeddings</c>. Without an
/// <see cref="Endpoint"/> the local hashed n-gram generator is used (no network, lexical only).
/// </summary>
public sealed class MindoraEmbeddingsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Embeddings";

    /// <summary>
    /// An OpenAI-compatible API base URL: <c>https://api.openai.com/v1</c>, Azure OpenAI's
    /// <c>https://{resource}.openai.azure.com/openai/v1/</c>, Ollama's <c>http://localhost:11434/v1</c>,
    /// vLLM's <c>http://host:8000/v1</c>. Null selects the local generator.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key (sent as a bearer token; Ollama and vLLM accept any value). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The embedding model, e.g. <c>text-embedding-3-small</c> or <c>nomic-embed-text</c>. Required with an endpoint.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The vector size: the local generator's dimension (default 768), or the <c>dimensions</c>
    /// asked of models that can shorten their output (null: the model's own size).
    /// </summary>
    public int? Dimensions { get; set; }

    /// <summary>Inputs sent per request to the endpoint. Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Retries of a rate-limited (429) or failed (5xx, network) request. Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The longest wait between retries, also when the server's Retry-After asks for more. Default 60 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The time one request may take. Default 100 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The longest input, in characters. Default 32,000.</summary>
    public int MaxInputCharacters { get; set; } = 32_000;

    /// <summary>How long an embedding stays in the app's cache (<c>IMindoraCache</c>, when registered). Default 30 days; zero disables caching.</summary>
    public TimeSpan CacheTimeToLive { get; set; } = TimeSpan.FromDays(30);
}
