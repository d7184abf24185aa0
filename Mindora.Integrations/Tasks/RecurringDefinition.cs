using System.Text.Json;

namespace Mindora.Integrations.Tasks;

/// <summary>What a recurring schedule enqueues each time it falls due; stored as JSON by every provider.</summary>
internal sealed record RecurringDefinition(string Cron, string Task, string PayloadJson, string Queue, TaskPriority Priority, int MaxAttempts, long? TimeoutMs)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RecurringDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<RecurringDefinition>(json, Json)
        ?? throw new MindoraIntegrityException("A stored recurring schedule is empty.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The options of the run due at <paramref name="dueMs"/>: its idempotency key makes concurrent firings of one run enqueue one task.</summary>
    public EnqueueOptions RunOptions(string scheduleName, long dueMs) => new()
    {
        Queue = Queue,
        Priority = Priority,
        MaxAttempts = MaxAttempts,
        Timeout = TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        IdempotencyKey = $"recurring:{scheduleName}:{dueMs}",
    };
}
