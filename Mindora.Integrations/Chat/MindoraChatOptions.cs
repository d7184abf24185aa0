namespace Mindora.Integrations.Chat;

/// <summary>
/// Settings of the Chat capability, bound from <c>Mindora:Chat</c>, shaped like
/// <c>Mindora:Embeddings</c>: an OpenAI-compatible endpoint (OpenAI, Azure OpenAI's v1 API, Ollama,
/// vLLM) and a model. Without an <see cref="Endpoint"/> no chat client is registered, and apps
/// answer without a model (DocumentProcessor's /ask returns the best passages).
/// </summary>
public sealed class MindoraChatOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Chat";

    /// <summary>An OpenAI-compatible API base URL, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>; null: no chat model.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key (sent as a bearer token; Ollama and vLLM accept any value). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The chat model, e.g. <c>gpt-4o-mini</c> or <c>llama3.2</c>. Required with an endpoint.</summary>
    public string? Model { get; set; }

    /// <summary>The time one request may take. Default 100 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a rate-limited or failed request (the OpenAI client's own backoff). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;
}
