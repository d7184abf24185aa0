namespace Mindora.Integrations.Tasks;

/// <summary>
/// The public surface every Tasks provider shares: argument checks, one telemetry span per
/// operation, counters and wake-ups. A provider implements the <c>...CoreAsync</c> members, which
/// receive validated arguments, and its own claim and wait loops.
/// </summary>
internal abstract class TaskStoreBase : ITaskQueue, ITaskBroker
{
    protected TaskStoreBase(string app, MindoraTasksOptions options, TimeProvider time)
    {
        TaskInputs.Options(options);
        App = MindoraNames.ValidateAppName(app);
        Options = options;
        Time = time;
        Inputs = new TaskInputs(options);
    }

    protected string App { get; }

    protected MindoraTasksOptions Options { get; }

    protected TimeProvider Time { get; }

    protected TaskInputs Inputs { get; }

    protected WorkSignal Signal { get; } = new();

    protected abstract TaskTelemetry Telemetry { get; }

    protected abstract RecurringTasks Recurring { get; }

    public Task<TaskInfo> EnqueueAsync(string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Inputs.Request(taskName, payload, options);
        var queue = request.Queue;
        return Telemetry.RunAsync("enqueue", queue, async () =>
        {
            // Inside the enqueue span, so the task's trace hangs off this very operation.
            var (task, created) = await EnqueueCoreAsync(request with { TraceParent = TraceContext.CaptureTraceParent() }, cancellationToken);
            if (created)
            {
                Telemetry.Count(Telemetry.Enqueued, queue);
                Signal.Pulse();
            }

            return task;
        });
    }

    public Task<TaskInfo?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return Telemetry.RunAsync("get", null, () => GetCoreAsync(id, cancellationToken));
    }

    public Task<IReadOnlyList<TaskInfo>> ListAsync(MindoraTaskStatus status, int limit = 100, CancellationToken cancellationToken = default)
    {
        TaskInputs.Status(status, limit);
        return Telemetry.RunAsync("list", null, () => ListCoreAsync(status, limit, cancellationToken));
    }

    public Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return Telemetry.RunAsync("cancel", null, () => CancelCoreAsync(id, cancellationToken));
    }

    public Task<bool> RetryAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return Telemetry.RunAsync("retry", null, async () =>
        {
            var retried = await RetryCoreAsync(id, cancellationToken);
            if (retried)
            {
                Signal.Pulse();
            }

            return retried;
        });
    }

    public Task<IReadOnlyList<TaskQueueDepth>> GetQueueDepthsAsync(CancellationToken cancellationToken = default) =>
        Telemetry.RunAsync("depth", null, () => QueueDepthsCoreAsync(cancellationToken));

    public Task ScheduleRecurringAsync(string scheduleName, string cron, string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        Telemetry.RunAsync("schedule", null, () => Recurring.ScheduleAsync(scheduleName, cron, taskName, payload, options, cancellationToken));

    public Task<bool> RemoveRecurringAsync(string scheduleName, CancellationToken cancellationToken = default) =>
        Telemetry.RunAsync("unschedule", null, () => Recurring.RemoveAsync(scheduleName, cancellationToken));

    public abstract Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    public abstract Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default);

    public Task<bool> RenewLeaseAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        TaskInputs.Lease(leaseDuration, nameof(leaseDuration));
        return Telemetry.RunAsync("renew", lease.Task.Queue, () => RenewLeaseCoreAsync(lease, leaseDuration, cancellationToken));
    }

    public Task CompleteAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Inputs.Result(resultJson);
        return Telemetry.RunAsync("complete", lease.Task.Queue, async () =>
        {
            TaskInputs.EnsureHeld(await CompleteCoreAsync(lease, resultJson, cancellationToken), lease);
            Telemetry.Count(Telemetry.Completed, lease.Task.Queue);
        });
    }

    public Task FailAsync(TaskLease lease, string error, bool retry = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var message = TaskInputs.Error(error);
        return Telemetry.RunAsync("fail", lease.Task.Queue, async () =>
        {
            var retrying = await FailCoreAsync(lease, message, retry, cancellationToken);
            Telemetry.Count(retrying ? Telemetry.Retried : Telemetry.Failed, lease.Task.Queue);
        });
    }

    public Task ReleaseAsync(TaskLease lease, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Telemetry.RunAsync("release", lease.Task.Queue, () => ReleaseCoreAsync(lease, reason, cancellationToken));
    }

    /// <summary>Stores the task; <c>Created</c> is false when an idempotency key found an earlier one.</summary>
    protected abstract Task<(TaskInfo Task, bool Created)> EnqueueCoreAsync(TaskRequest request, CancellationToken cancellationToken);

    protected abstract Task<TaskInfo?> GetCoreAsync(string taskId, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<TaskInfo>> ListCoreAsync(MindoraTaskStatus status, int limit, CancellationToken cancellationToken);

    protected abstract Task<bool> CancelCoreAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Queues a failed or canceled task again with its attempts reset; false when it is not failed or canceled.</summary>
    protected abstract Task<bool> RetryCoreAsync(string taskId, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<TaskQueueDepth>> QueueDepthsCoreAsync(CancellationToken cancellationToken);

    protected abstract Task<bool> RenewLeaseCoreAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Completes the attempt; false when the lease is no longer held.</summary>
    protected abstract Task<bool> CompleteCoreAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken);

    /// <summary>Fails the attempt; true when the task will be retried. Throws when the lease is no longer held.</summary>
    protected abstract Task<bool> FailCoreAsync(TaskLease lease, string message, bool retry, CancellationToken cancellationToken);

    /// <summary>Puts the task back in its queue; throws when the lease is no longer held.</summary>
    protected abstract Task ReleaseCoreAsync(TaskLease lease, string reason, CancellationToken cancellationToken);

    protected DateTimeOffset Now() => TaskInputs.Truncate(Time.GetUtcNow());

    protected long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
