using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace Mindora.Integrations.Chat;

/// <summary>
/// <see cref="IChatClient"/> over an OpenAI-compatible <c>/chat/completions</c> endpoint through the
/// OpenAI package (text messages; system, user and assistant roles; temperature and token limit).
/// Failures become <see cref="MindoraUnavailableException"/> without the API key.
/// </summary>
internal sealed class OpenAIChatClient : IChatClient
{
    private readonly ChatClient _client;
    private readonly ChatClientMetadata _metadata;

    public OpenAIChatClient(MindoraChatOptions options)
    {
        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme is not ("http" or "https") || string.IsNullOrWhiteSpace(options.Model)
            || options.RequestTimeout <= TimeSpan.Zero || options.MaxRetries < 0)
        {
            throw new MindoraConfigurationException($"{MindoraChatOptions.SectionName}: a chat model needs an absolute http(s) Endpoint and a Model; RequestTimeout must be positive, MaxRetries at least 0.");
        }

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.RequestTimeout,
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };

        // Ollama and vLLM need no key, but the client requires one.
        _client = new ChatClient(options.Model, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), clientOptions);
        _metadata = new ChatClientMetadata("openai-compatible", options.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var completion = (await _client.CompleteChatAsync(ToOpenAI(messages), ToOpenAI(options), cancellationToken).ConfigureAwait(false)).Value;
            var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
            return new ChatResponse(new AIChatMessage(AIChatRole.Assistant, text))
            {
                ModelId = completion.Model,
                ResponseId = completion.Id,
                FinishReason = completion.FinishReason == OpenAI.Chat.ChatFinishReason.Length ? Microsoft.Extensions.AI.ChatFinishReason.Length : Microsoft.Extensions.AI.ChatFinishReason.Stop,
            };
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException)
        {
            throw Unavailable(e);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = _client.CompleteChatStreamingAsync(ToOpenAI(messages), ToOpenAI(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                StreamingChatCompletionUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    update = updates.Current;
                }
                catch (Exception e) when (e is ClientResultException or HttpRequestException)
                {
                    throw Unavailable(e);
                }

                var text = string.Concat(update.ContentUpdate.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
                if (text.Length > 0)
                {
                    yield return new ChatResponseUpdate(AIChatRole.Assistant, text) { ModelId = update.Model, ResponseId = update.CompletionId };
                }
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The OpenAI client holds no disposable state of its own.
    }

    private static List<OpenAIChatMessage> ToOpenAI(IEnumerable<AIChatMessage> messages) =>
        [.. messages.Select(m => m.Role == AIChatRole.System ? new SystemChatMessage(m.Text)
            : m.Role == AIChatRole.Assistant ? new AssistantChatMessage(m.Text)
            : (OpenAIChatMessage)new UserChatMessage(m.Text))];

    private static ChatCompletionOptions ToOpenAI(ChatOptions? options) => new()
    {
        Temperature = options?.Temperature,
        MaxOutputTokenCount = options?.MaxOutputTokens,
    };

    // The status and the server's message; the request (and so the key) is never included.
    private static MindoraUnavailableException Unavailable(Exception e) =>
        new($"The chat model could not answer: {(e is ClientResultException c ? $"HTTP {c.Status}: " : string.Empty)}{e.Message}", e);
}
