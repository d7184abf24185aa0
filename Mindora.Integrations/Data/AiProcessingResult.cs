namespace Mindora.Integrations.Data;

/// <summary>
/// The record of one AI model call on some input (a document, a message): map it with
/// <c>modelBuilder.MapMindoraAiProcessingResults()</c>. Prompt and response are
/// <see cref="SensitiveAttribute">sensitive</see>: the audit log notes their changes, not their text.
/// </summary>
public class AiProcessingResult : MindoraEntity
{
    /// <summary>What was processed, e.g. <c>document:4f2a…</c> or an object key.</summary>
    public string InputRef { get; set; } = string.Empty;

    /// <summary>The model that answered, e.g. <c>gpt-4o-mini</c>.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>The prompt sent.</summary>
    [Sensitive]
    public string? Prompt { get; set; }

    /// <summary>The response received.</summary>
    [Sensitive]
    public string? Response { get; set; }

    /// <summary>Tokens in the prompt, when reported.</summary>
    public int? PromptTokens { get; set; }

    /// <summary>Tokens in the response, when reported.</summary>
    public int? CompletionTokens { get; set; }

    /// <summary>How long the call took, in milliseconds.</summary>
    public int? LatencyMilliseconds { get; set; }

    /// <summary>Where the step stands.</summary>
    public AiProcessingStatus Status { get; set; }

    /// <summary>Why the step failed, when it did.</summary>
    public string? Error { get; set; }
}
