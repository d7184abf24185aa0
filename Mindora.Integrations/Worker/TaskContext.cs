using System.Text.Json;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Worker;

/// <summary>What a handler knows about the task it runs.</summary>
public sealed class TaskContext
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    internal TaskContext(TaskInfo task, string workerId, IServiceProvider services)
    {
        Task = task;
        WorkerId = workerId;
        Services = services;
    }

    /// <summary>The task, as claimed (its attempt count includes this attempt).</summary>
    public TaskInfo Task { get; }

    /// <summary>The worker running it.</summary>
    public string WorkerId { get; }

    /// <summary>The DI scope of this task.</summary>
    public IServiceProvider Services { get; }

    /// <summary>True when a failure now would end the task as Failed (no retry left).</summary>
    public bool IsLastAttempt => Task.Attempts >= Task.MaxAttempts;

    /// <summary>The payload, deserialized; a payload that does not fit is a permanent failure.</summary>
    public T GetPayload<T>()
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Task.PayloadJson, PayloadJson)
                ?? throw new PermanentTaskFailureException($"Task '{Task.Name}' has an empty payload; a {typeof(T).Name} is required.");
        }
        catch (JsonException e)
        {
            throw new PermanentTaskFailureException($"Task '{Task.Name}' has a payload that is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}

/// <summary>A failure that retrying cannot fix (bad payload, unsupported input): the task fails at once.</summary>
public sealed class PermanentTaskFailureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentTaskFailureException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
