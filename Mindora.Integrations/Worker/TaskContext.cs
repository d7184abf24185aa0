using System.Text.Json;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Worker;

/// <summary>What a handler knows about the task it runs.</summary>
public sealed class TaskContext
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    // Reading is strict: a payload missing a constructor value, or with null where the type says
    // non-null, does not fit the type; it must fail here, not reach the handler as a null.
    private static readonly JsonSerializerOptions StrictPayloadJson = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly CancellationToken _handedBack;

    internal TaskContext(TaskInfo task, string workerId, IServiceProvider services, CancellationToken handedBack = default)
    {
        Task = task;
        WorkerId = workerId;
        Services = services;
        _handedBack = handedBack;
    }

    /// <summary>
    /// True once the worker has stopped this attempt for reasons of its own (it is shutting down,
    /// or it lost the lease): the task will run again, so a handler must not record a final failure.
    /// </summary>
    public bool IsHandedBack => _handedBack.IsCancellationRequested;

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
            return JsonSerializer.Deserialize<T>(Task.PayloadJson, StrictPayloadJson)
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
