using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Background tasks in <c>{dir}/tasks.db</c>, shared by the API and worker processes of one
/// machine. Claims are one atomic UPDATE … RETURNING inside BEGIN IMMEDIATE; every later step of
/// an attempt checks its lease token, so a worker that lost its lease cannot overwrite a newer attempt.
/// </summary>
internal sealed class EmbeddedTaskStore : ITasksProvider
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);

    private readonly SqliteDatabase _database;
    private readonly string _app;
    private readonly MindoraTasksOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskTelemetry _telemetry;
    private readonly TaskInputs _inputs;
    private readonly WorkSignal _signal = new();
    private readonly RecurringTasks _recurring;
    private long _nextPurgeAt;
    private int _disposed;

    public EmbeddedTaskStore(string directory, string app, MindoraTasksOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        TaskInputs.Options(options);
        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _time = time;
        _inputs = new TaskInputs(options);
        _database = new SqliteDatabase(directory, "tasks.db", "tasks", TaskRows.Schema, durableCommits: false);
        _telemetry = new TaskTelemetry(_app, meterFactory);
        _recurring = new RecurringTasks(new EmbeddedRecurringStore(_database, _app), this, _inputs, time);
    }

    public Task<TaskInfo> EnqueueAsync(string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = _inputs.Request(taskName, payload, options);
        var (queue, idempotencyKey) = (request.Queue, request.IdempotencyKey);
        return _telemetry.RunAsync("enqueue", queue, async () =>
        {
            var now = Now();
            var (stored, created) = await _database.WriteAsync(
                async (session, ct) =>
                {
                    if (idempotencyKey is not null
                        && await TaskRows.FindByIdempotencyKeyAsync(session, _app, idempotencyKey, now.ToUnixTimeMilliseconds(), ct) is { } existing)
                    {
                        return (existing, false);
                    }

                    var deferred = request.After is { } after && await DeferAsync(session, after, now, ct);
                    var task = request.NewTask(now, deferred);
                    await TaskRows.InsertAsync(session, _app, task, idempotencyKey, ct);
                    if (deferred)
                    {
                        await TaskRows.AddDependentAsync(session, request.After!, task.Id, ct);
                    }

                    return (task, true);
                },
                cancellationToken);

            if (created)
            {
                _telemetry.Count(_telemetry.Enqueued, queue);
                _signal.Pulse();
            }

            return stored;
        });
    }

    public Task<TaskInfo?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return _telemetry.RunAsync("get", null, () =>
            _database.ReadAsync((session, ct) => TaskRows.FindAsync(session, _app, id, NowMs(), ct), cancellationToken));
    }

    public Task<IReadOnlyList<TaskInfo>> ListAsync(MindoraTaskStatus status, int limit = 100, CancellationToken cancellationToken = default)
    {
        TaskInputs.Status(status, limit);
        return _telemetry.RunAsync("list", null, () =>
            _database.ReadAsync((session, ct) => TaskRows.ListAsync(session, _app, status, limit, NowMs(), ct), cancellationToken));
    }

    public Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return _telemetry.RunAsync("cancel", null, () =>
            _database.WriteAsync(
                async (session, ct) =>
                {
                    var canceled = await TaskRows.CancelAsync(session, _app, id, NowMs(), ct);
                    await TaskRows.SettleDependentsAsync(session, _app, NowMs(), ct);
                    return canceled;
                },
                cancellationToken));
    }

    public Task ScheduleRecurringAsync(string scheduleName, string cron, string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.RunAsync("schedule", null, () => _recurring.ScheduleAsync(scheduleName, cron, taskName, payload, options, cancellationToken));

    public Task<bool> RemoveRecurringAsync(string scheduleName, CancellationToken cancellationToken = default) =>
        _telemetry.RunAsync("unschedule", null, () => _recurring.RemoveAsync(scheduleName, cancellationToken));

    public Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var stored = StoredQueues(queues);
        var worker = TaskInputs.Worker(workerId);
        TaskInputs.Lease(leaseDuration, nameof(leaseDuration));

        return _telemetry.RunAsync("claim", string.Join(',', queues), async () =>
        {
            var now = Now();

            // Before the claim: nothing may throw between a committed claim and returning its lease.
            await PurgeFinishedIfDueAsync(now, cancellationToken);
            await _recurring.FireDueAsync(cancellationToken);
            var token = Guid.NewGuid().ToString("N");
            var expires = now + leaseDuration;
            var (claimed, exhausted) = await _database.WriteAsync(
                async (session, ct) =>
                {
                    var failed = await TaskRows.FailExhaustedLeasesAsync(session, stored, now.ToUnixTimeMilliseconds(), ct);
                    if (failed > 0)
                    {
                        await TaskRows.SettleDependentsAsync(session, _app, now.ToUnixTimeMilliseconds(), ct);
                    }

                    var task = await TaskRows.ClaimAsync(session, stored, worker, token, now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), ct);
                    return (task, failed);
                },
                cancellationToken);

            if (exhausted > 0)
            {
                _telemetry.Count(_telemetry.Failed, null, exhausted);
            }

            if (claimed is null)
            {
                return null;
            }

            _telemetry.Count(_telemetry.Claimed, claimed.Queue);
            return new TaskLease(claimed, token, DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds()));
        });
    }

    public async Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var stored = StoredQueues(queues);
        TaskInputs.MaxWait(maxWait);

        var deadline = _time.GetTimestamp() + (long)(maxWait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var signal = _signal.Next;
            var hasWork = await _database.ReadAsync((session, ct) => TaskRows.HasClaimableAsync(session, stored, NowMs(), ct), cancellationToken);
            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (hasWork || remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Wake on an enqueue in this process, or poll for other processes' enqueues and due retries.
            using var pollCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(remaining < _options.PollInterval ? remaining : _options.PollInterval, _time, pollCancel.Token);
            await Task.WhenAny(signal, poll);
            await pollCancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<bool> RenewLeaseAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        TaskInputs.Lease(leaseDuration, nameof(leaseDuration));
        return _telemetry.RunAsync("renew", lease.Task.Queue, () =>
            _database.WriteAsync(
                (session, ct) => TaskRows.RenewAsync(session, lease.Task.Id, lease.LeaseToken, (Now() + leaseDuration).ToUnixTimeMilliseconds(), ct),
                cancellationToken));
    }

    public Task CompleteAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _inputs.Result(resultJson);
        return _telemetry.RunAsync("complete", lease.Task.Queue, async () =>
        {
            var completed = await _database.WriteAsync(
                async (session, ct) =>
                {
                    var held = await TaskRows.CompleteAsync(session, lease.Task.Id, lease.LeaseToken, resultJson, NowMs(), ct);
                    if (held)
                    {
                        await TaskRows.SettleDependentsAsync(session, _app, NowMs(), ct);
                    }

                    return held;
                },
                cancellationToken);
            TaskInputs.EnsureHeld(completed, lease);
            _telemetry.Count(_telemetry.Completed, lease.Task.Queue);
        });
    }

    public Task FailAsync(TaskLease lease, string error, bool retry = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var message = TaskInputs.Error(error);
        return _telemetry.RunAsync("fail", lease.Task.Queue, async () =>
        {
            var retrying = await _database.WriteAsync(
                async (session, ct) =>
                {
                    var counters = await TaskRows.FindLeasedAsync(session, lease.Task.Id, lease.LeaseToken, ct) ?? throw TaskInputs.LeaseLost(lease);
                    var now = Now();
                    if (retry && counters.Attempts < counters.MaxAttempts)
                    {
                        var delay = RetryBackoff.Compute(counters.Attempts, _options.BaseRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
                        await TaskRows.RescheduleAsync(session, lease.Task.Id, message, (now + delay).ToUnixTimeMilliseconds(), ct);
                        return true;
                    }

                    await TaskRows.MarkFailedAsync(session, lease.Task.Id, message, now.ToUnixTimeMilliseconds(), ct);
                    await TaskRows.SettleDependentsAsync(session, _app, now.ToUnixTimeMilliseconds(), ct);
                    return false;
                },
                cancellationToken);

            _telemetry.Count(retrying ? _telemetry.Retried : _telemetry.Failed, lease.Task.Queue);
        });
    }

    public Task ReleaseAsync(TaskLease lease, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return _telemetry.RunAsync("release", lease.Task.Queue, () => _database.WriteAsync(
            async (session, ct) =>
            {
                _ = await TaskRows.FindLeasedAsync(session, lease.Task.Id, lease.LeaseToken, ct) ?? throw TaskInputs.LeaseLost(lease);
                await TaskRows.ReleaseAsync(session, lease.Task.Id, reason, Now().ToUnixTimeMilliseconds(), ct);
                return true;
            },
            cancellationToken));
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => _database.ProbeAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _database.Dispose();
            _telemetry.Dispose();
        }
    }

    private async Task PurgeFinishedIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = Interlocked.Read(ref _nextPurgeAt);
        if (nowMs < due || Interlocked.CompareExchange(ref _nextPurgeAt, nowMs + (long)PurgeEvery.TotalMilliseconds, due) != due)
        {
            return;
        }

        var succeededCutoff = (now - _options.SucceededRetention).ToUnixTimeMilliseconds();
        var finishedCutoff = (now - _options.FinishedRetention).ToUnixTimeMilliseconds();
        await _database.WriteAsync((session, ct) => TaskRows.PurgeFinishedAsync(session, _app, succeededCutoff, finishedCutoff, ct), cancellationToken);
    }

    /// <summary>Whether a task that runs after <paramref name="after"/> must wait (true) or can be queued now (its parent succeeded).</summary>
    private async Task<bool> DeferAsync(SqliteSession session, string after, DateTimeOffset now, CancellationToken cancellationToken) =>
        await TaskRows.FindAsync(session, _app, after, now.ToUnixTimeMilliseconds(), cancellationToken) switch
        {
            null => throw TaskInputs.UnknownParent(after),
            { Status: MindoraTaskStatus.Succeeded } => false,
            { Status: MindoraTaskStatus.Failed or MindoraTaskStatus.Canceled } => throw TaskInputs.ParentEnded(after),
            _ => true,
        };

    private DateTimeOffset Now() => TaskInputs.Truncate(_time.GetUtcNow());

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private string[] StoredQueues(IReadOnlyList<string> queues) =>
        TaskInputs.Queues(queues).Select(q => TaskRows.StoredQueue(_app, q)).ToArray();
}
