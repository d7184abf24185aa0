using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Worker;

/// <summary>
/// Runs registered handlers: <see cref="MindoraWorkerOptions.Concurrency"/> loops claim tasks
/// with a lease, keep it alive by heartbeat while the handler runs, and complete or fail the
/// task. On shutdown the loops stop claiming and running tasks get the drain timeout to finish.
/// </summary>
internal sealed partial class TaskWorkerService : BackgroundService
{
    // The longest delay a CancellationTokenSource timer accepts.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly ITaskBroker _broker;
    private readonly ITaskQueue _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly TaskHandlerRegistry _registry;
    private readonly MindoraWorkerOptions _options;
    private readonly WorkerTelemetry _telemetry;
    private readonly ILogger<TaskWorkerService> _logger;
    private readonly CancellationTokenSource _drainExpired = new();
    private readonly string _workerId;

    public TaskWorkerService(
        ITaskBroker broker,
        ITaskQueue queue,
        IServiceScopeFactory scopes,
        TaskHandlerRegistry registry,
        IOptions<MindoraWorkerOptions> options,
        WorkerTelemetry telemetry,
        ILogger<TaskWorkerService> logger)
    {
        _broker = broker;
        _queue = queue;
        _scopes = scopes;
        _registry = registry;
        _options = options.Value;
        _telemetry = telemetry;
        _logger = logger;
        _workerId = _options.WorkerId ?? $"{Environment.MachineName}:{Environment.ProcessId}";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queues = _options.Queues.ToList();
        var queueList = string.Join(",", queues);
        var handlers = string.Join(",", _registry.TaskNames);
        LogStarted(_logger, _workerId, queueList, _options.Concurrency, handlers);
        var loops = Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(() => RunLoopAsync(queues, stoppingToken), CancellationToken.None));
        var sampler = Task.Run(() => SampleDepthsAsync(queues, stoppingToken), CancellationToken.None);
        await Task.WhenAll(loops.Append(sampler)).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        LogDraining(_logger, _options.DrainTimeout.TotalSeconds);
        _drainExpired.CancelAfter(_options.DrainTimeout);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(_logger);
    }

    public override void Dispose()
    {
        _drainExpired.Dispose();
        base.Dispose();
    }

    private async Task RunLoopAsync(IReadOnlyList<string> queues, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var lease = await _broker.TryClaimAsync(queues, _workerId, _options.LeaseDuration, stopping).ConfigureAwait(false);
                if (lease is null)
                {
                    await _broker.WaitForWorkAsync(queues, _options.IdleWait, stopping).ConfigureAwait(false);
                    continue;
                }

                // Deliberately not canceled by shutdown: a claimed task gets the drain time to finish.
                await RunTaskAsync(lease).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong (a store hiccup, a bug), this loop must live on: a loop that
                // ended here would silently leave the worker with less concurrency than configured.
                LogLoopError(_logger, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // The gauges report what the store holds, not what this worker saw: other workers and the
    // API change the queues too. A failed sample keeps the previous one until the next succeeds.
    private async Task SampleDepthsAsync(IReadOnlyList<string> queues, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var held = (await _queue.GetQueueDepthsAsync(stopping).ConfigureAwait(false)).ToDictionary(d => d.Queue, StringComparer.Ordinal);
                _telemetry.ReportDepths(queues.Select(q => held.GetValueOrDefault(q) ?? new TaskQueueDepth(q, 0, 0, 0, 0, 0)).ToList());
                await Task.Delay(_options.QueueDepthInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDepthFailed(_logger, e.Message);
                try
                {
                    await Task.Delay(_options.QueueDepthInterval, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunTaskAsync(TaskLease lease)
    {
        var task = lease.Task;

        // Each attempt is a child of the span that enqueued the task (a parent, not a link: the
        // task is the enqueuer's work, done later), so one trace runs from the upload to the result.
        using var activity = _telemetry.Source.StartActivity($"task {task.Name}", ActivityKind.Consumer, TraceContext.FromTraceParent(task.TraceParent));
        activity?.SetTag("mindora.task.name", task.Name);
        activity?.SetTag("mindora.task.id", task.Id);
        activity?.SetTag("mindora.task.attempt", task.Attempts);
        activity?.SetTag("mindora.task.queue", task.Queue);

        using var leaseLost = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource();
        if (task.Timeout is { } limit && limit <= MaxTimeout)
        {
            // Longer limits than a timer can hold mean "no limit" in practice.
            timeout.CancelAfter(limit);
        }

        using var handlerCancel = CancellationTokenSource.CreateLinkedTokenSource(_drainExpired.Token, leaseLost.Token, timeout.Token);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(lease, leaseLost, heartbeatStop.Token);

        var started = Stopwatch.GetTimestamp();
        var running = new TagList { { "mindora.task.name", task.Name } };
        _telemetry.Running.Add(1, running);
        string outcome;
        try
        {
            var handlerType = _registry.Find(task.Name)
                ?? throw new PermanentTaskFailureException($"No handler for task '{task.Name}' on worker {_workerId}; it handles: {string.Join(", ", _registry.TaskNames)}.");
            await using var scope = _scopes.CreateAsyncScope();
            var handler = (ITaskHandler)scope.ServiceProvider.GetRequiredService(handlerType);
            using var handedBack = CancellationTokenSource.CreateLinkedTokenSource(_drainExpired.Token, leaseLost.Token);
            var context = new TaskContext(task, _workerId, scope.ServiceProvider, handedBack.Token);
            var result = await handler.HandleAsync(context, handlerCancel.Token).ConfigureAwait(false);
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            await _broker.CompleteAsync(lease, SerializeResult(task, result), CancellationToken.None).ConfigureAwait(false);
            outcome = "succeeded";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            outcome = await FailAsync(lease, e, timeout.IsCancellationRequested, leaseLost.IsCancellationRequested).ConfigureAwait(false);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }
        finally
        {
            _telemetry.Running.Add(-1, running);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var tags = new TagList { { "mindora.task.name", task.Name }, { "mindora.task.outcome", outcome } };
        _telemetry.Completed.Add(1, tags);
        _telemetry.Duration.Record(seconds, tags);
        activity?.SetTag("mindora.task.outcome", outcome);
    }

    private static string? SerializeResult(TaskInfo task, object? result)
    {
        if (result is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Serialize(result, result.GetType(), TaskContext.PayloadJson);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Running the handler again would return the same unstorable value.
            throw new PermanentTaskFailureException($"The result of task '{task.Name}' cannot be stored as JSON: {e.Message}", e);
        }
    }

    private async Task<string> FailAsync(TaskLease lease, Exception error, bool timedOut, bool leaseLost)
    {
        var task = lease.Task;
        if (leaseLost)
        {
            LogLeaseLost(_logger, task.Name, task.Id);
            return "lease-lost";
        }

        var permanent = TaskFailures.IsPermanent(error);
        var drained = !timedOut && _drainExpired.IsCancellationRequested && error is OperationCanceledException;
        var message = timedOut
            ? $"Timed out after {task.Timeout?.TotalSeconds:0.#} s."
            : drained ? "Canceled: the worker shut down before the task finished." : error.Message;
        LogTaskFailed(_logger, task.Name, task.Id, task.Attempts, task.MaxAttempts, message);
        try
        {
            // A shutdown is not the task's fault: hand it back without using up an attempt.
            if (drained)
            {
                await _broker.ReleaseAsync(lease, message, CancellationToken.None).ConfigureAwait(false);
                return "released";
            }

            await _broker.FailAsync(lease, message, retry: !permanent, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MindoraConflictException)
        {
            LogLeaseLost(_logger, task.Name, task.Id);
            return "lease-lost";
        }

        return permanent || task.Attempts >= task.MaxAttempts ? "failed" : "retrying";
    }

    private async Task HeartbeatAsync(TaskLease lease, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var interval = _options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
                if (!await _broker.RenewLeaseAsync(lease, _options.LeaseDuration, stop).ConfigureAwait(false))
                {
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The task ended.
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A store hiccup: keep beating, the next heartbeat may succeed before the lease
                // runs out (giving up here would let another worker run the task a second time).
                LogHeartbeatFailed(_logger, lease.Task.Name, lease.Task.Id, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} takes tasks from {Queues} with {Concurrency} at once; handlers: {Handlers}")]
    private static partial void LogStarted(ILogger logger, string workerId, string queues, int concurrency, string handlers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: running tasks get {Seconds} s to finish")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker loop error (retrying in 1 s): {Reason}")]
    private static partial void LogLoopError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue depth sample failed (retrying later): {Reason}")]
    private static partial void LogDepthFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} {TaskId} attempt {Attempt}/{MaxAttempts} failed: {Reason}")]
    private static partial void LogTaskFailed(ILogger logger, string taskName, string taskId, int attempt, int maxAttempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} {TaskId}: heartbeat failed (retrying at the next beat): {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string taskName, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskName} {TaskId}: lease lost; another attempt owns it now")]
    private static partial void LogLeaseLost(ILogger logger, string taskName, string taskId);
}
