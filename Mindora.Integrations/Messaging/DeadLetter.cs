namespace Mindora.Integrations.Messaging;

/// <summary>A message that failed every attempt, with the last error.</summary>
/// <param name="MessageId">The original message id.</param>
/// <param name="CorrelationId">The original correlation id.</param>
/// <param name="Type">The message type.</param>
/// <param name="Timestamp">When it was first sent.</param>
/// <param name="Queue">The queue whose handler failed.</param>
/// <param name="Attempts">How many times it was handled.</param>
/// <param name="Error">The last handler error (exception type and message).</param>
/// <param name="FailedAt">When it was dead-lettered.</param>
/// <param name="Body">The JSON body.</param>
public sealed record DeadLetter(
    string MessageId,
    string? CorrelationId,
    string Type,
    DateTimeOffset Timestamp,
    string Queue,
    int Attempts,
    string Error,
    DateTimeOffset? FailedAt,
    string Body);
