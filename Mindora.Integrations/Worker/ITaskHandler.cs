namespace Mindora.Integrations.Worker;

/// <summary>Runs one kind of task; registered under its task name and resolved from a fresh DI scope per task.</summary>
public interface ITaskHandler
{
    /// <summary>Runs the task; the returned value (if any) is stored as the task's JSON result.</summary>
    Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken);
}

/// <summary>A handler whose payload is deserialized to <typeparamref name="TPayload"/>.</summary>
/// <typeparam name="TPayload">The payload type (System.Text.Json, web defaults).</typeparam>
public abstract class TaskHandler<TPayload> : ITaskHandler
{
    /// <inheritdoc />
    public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HandleAsync(context.GetPayload<TPayload>(), context, cancellationToken);
    }

    /// <summary>Runs the task with its payload.</summary>
    protected abstract Task<object?> HandleAsync(TPayload payload, TaskContext context, CancellationToken cancellationToken);
}
