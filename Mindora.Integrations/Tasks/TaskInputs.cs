using System.Text;
using System.Text.Json;

namespace Mindora.Integrations.Tasks;

/// <summary>The checks and conversions every Tasks provider applies to what callers pass, so all providers accept and refuse exactly the same input.</summary>
internal sealed class TaskInputs(MindoraTasksOptions options)
{
    public const int MaxQueues = 32;
    private const int MaxErrorLength = 8000;
    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(1);

    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static string Queue(string queue) => MindoraNames.ValidateLogicalName(queue, "queue", nameof(queue));

    public static string TaskId(string taskId) => MindoraArguments.RequireIdentifier(taskId, nameof(taskId), "task id", 200);

    public static string Worker(string workerId) => MindoraArguments.RequireIdentifier(workerId, nameof(workerId), "worker id", 200);

    public static string? IdempotencyKey(EnqueueOptions options) => options.IdempotencyKey is null
        ? null
        : MindoraArguments.RequireIdentifier(options.IdempotencyKey, "options.IdempotencyKey", "idempotency key", 200);

    /// <summary>The distinct, validated queue names of a claim or wait.</summary>
    public static string[] Queues(IReadOnlyList<string> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Count is 0 or > MaxQueues)
        {
            throw new MindoraValidationException(nameof(queues), $"Give 1 to {MaxQueues} queues.");
        }

        return queues.Select(Queue).Distinct(StringComparer.Ordinal).ToArray();
    }

    public static void Status(MindoraTaskStatus status, int limit)
    {
        if (!Enum.IsDefined(status))
        {
            throw new MindoraValidationException(nameof(status), $"Unknown task status {status}.");
        }

        if (limit is < 1 or > 1000)
        {
            throw new MindoraValidationException(nameof(limit), "The limit must be between 1 and 1000.");
        }
    }

    public static void MaxWait(TimeSpan maxWait)
    {
        if (maxWait < TimeSpan.Zero)
        {
            throw new MindoraValidationException(nameof(maxWait), "maxWait must not be negative.");
        }
    }

    public static void Lease(TimeSpan leaseDuration, string parameterName)
    {
        if (leaseDuration <= TimeSpan.Zero || leaseDuration > MaxLease)
        {
            throw new MindoraValidationException(parameterName, "The lease duration must be greater than 0 and at most 1 day.");
        }
    }

    /// <summary>The error text stored for a failed attempt: never empty, at most 8000 characters.</summary>
    public static string Error(string? error)
    {
        var message = string.IsNullOrWhiteSpace(error) ? "The task failed without an error message." : error;
        return message.Length > MaxErrorLength ? message[..MaxErrorLength] + "…" : message;
    }

    /// <summary>Throws <see cref="LeaseLost"/> unless the store confirmed the lease was held.</summary>
    public static void EnsureHeld(bool held, TaskLease lease)
    {
        if (!held)
        {
            throw LeaseLost(lease);
        }
    }

    public static MindoraValidationException UnknownParent(string after) =>
        new("options.After", $"This app has no task '{after}' to run after (it never existed, or it finished longer ago than it is kept).");

    public static MindoraConflictException ParentEnded(string after) =>
        new($"The task '{after}' to run after has already failed or been canceled, so the new task would never run; nothing was enqueued.");

    public static MindoraConflictException LeaseLost(TaskLease lease) =>
        new($"The lease on task '{lease.Task.Id}' is no longer held (it expired and another attempt claimed the task, or the task ended); this attempt's outcome was not recorded.");

    public static void Enqueue(EnqueueOptions options)
    {
        if (!Enum.IsDefined(options.Priority))
        {
            throw new MindoraValidationException("options.Priority", "Priority must be High, Default or Low.");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            throw new MindoraValidationException("options.MaxAttempts", "MaxAttempts must be between 1 and 100.");
        }

        if (options.Delay is not null && options.RunAt is not null)
        {
            throw new MindoraValidationException("options.Delay", "Set Delay or RunAt, not both.");
        }

        if (options.Delay < TimeSpan.Zero)
        {
            throw new MindoraValidationException("options.Delay", "Delay must not be negative.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new MindoraValidationException("options.Timeout", "Timeout must be greater than 0.");
        }
    }

    public static void Options(MindoraTasksOptions options)
    {
        if (options.BaseRetryDelay < TimeSpan.Zero || options.MaxRetryDelay < options.BaseRetryDelay)
        {
            throw new MindoraConfigurationException($"{MindoraTasksOptions.SectionName}: BaseRetryDelay must not be negative and MaxRetryDelay must be at least BaseRetryDelay.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.MaxPayloadBytes <= 0 || options.FinishedRetention <= TimeSpan.Zero || options.SucceededRetention <= TimeSpan.Zero)
        {
            throw new MindoraConfigurationException($"{MindoraTasksOptions.SectionName}: PollInterval, MaxPayloadBytes, SucceededRetention and FinishedRetention must be greater than 0.");
        }
    }

    // The store keeps milliseconds; snapshots built in memory must equal what a later read returns.
    public static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    /// <summary>Checks everything an enqueue was given, before anything is written.</summary>
    public TaskRequest Request(string taskName, object? payload, EnqueueOptions? options)
    {
        var name = MindoraNames.ValidateTaskName(taskName);
        options ??= new EnqueueOptions();
        var queue = Queue(options.Queue);
        Enqueue(options);
        var after = options.After is null ? null : MindoraArguments.RequireIdentifier(options.After, "options.After", "task id", 200);
        return new TaskRequest(name, queue, IdempotencyKey(options), Payload(payload), options, after);
    }

    public string Payload(object? payload)
    {
        string json;
        try
        {
            json = JsonSerializer.Serialize(payload, payload?.GetType() ?? typeof(object), _json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new MindoraValidationException(nameof(payload), $"The payload cannot be serialized to JSON: {e.Message}");
        }

        if (Encoding.UTF8.GetByteCount(json) > options.MaxPayloadBytes)
        {
            throw new MindoraPayloadTooLargeException("The task payload (as JSON)", options.MaxPayloadBytes);
        }

        return json;
    }

    public void Result(string? resultJson)
    {
        if (resultJson is null)
        {
            return;
        }

        if (Encoding.UTF8.GetByteCount(resultJson) > options.MaxPayloadBytes)
        {
            throw new MindoraPayloadTooLargeException("The task result (as JSON)", options.MaxPayloadBytes);
        }

        try
        {
            using var document = JsonDocument.Parse(resultJson);
        }
        catch (JsonException)
        {
            throw new MindoraValidationException(nameof(resultJson), "The result must be well-formed JSON.");
        }
    }
}
