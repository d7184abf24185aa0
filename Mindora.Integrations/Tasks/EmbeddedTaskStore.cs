using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Background tasks in <c>{dir}/tasks.db</c>, shared by the API and worker processes of one
/// machine. Claims are one atomic UPDATE … RETURNING inside BEGIN IMMEDIATE; every later step of
/// an attempt checks its lease token, so a worker that lost its lease cannot overwrite a newer attempt.
/// </summary>
internal sealed class EmbeddedTaskStore : TaskStoreBase, ITasksProvider
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);

    private readonly SqliteDatabase _database;
    private readonly TaskTelemetry _telemetry;
    private readonly RecurringTasks _recurring;
    private long _nextPurgeAt;
    private int _disposed;

    public EmbeddedTaskStore(string directory, string app, MindoraTasksOptions options, IMeterFactory? meterFactory, TimeProvider time)
        : base(app, options, time)
    {
        _database = new SqliteDatabase(directory, "tasks.db", "tasks", TaskRows.Schema, durableCommits: false);
        _telemetry = new TaskTelemetry(App, meterFactory);
        _recurring = new RecurringTasks(new EmbeddedRecurringStore(_database, App), this, Inputs, time);
    }

    protected override TaskTelemetry Telemetry => _telemetry;

    protected override RecurringTasks Recurring => _recurring;

    protected override async Task<(TaskInfo Task, bool Created)> EnqueueCoreAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        var idempotencyKey = request.IdempotencyKey;
        var now = Now();
        return await _database.WriteAsync(
            async (session, ct) =>
            {
                if (idempotencyKey is not null
                    && await TaskRows.FindByIdempotencyKeyAsync(session, App, idempotencyKey, now.ToUnixTimeMilliseconds(), ct) is { } existing)
                {
                    return (existing, false);
                }

                var deferred = request.After is { } after && await DeferAsync(session, after, now, ct);
                var task = request.NewTask(now, deferred);
                await TaskRows.InsertAsync(session, App, task, idempotencyKey, ct);
                if (deferred)
                {
                    await TaskRows.AddDependentAsync(session, request.After!, task.Id, ct);
                }

                return (task, true);
            },
            cancellationToken);
    }

    protected override Task<TaskInfo?> GetCoreAsync(string taskId, CancellationToken cancellationToken) =>
        _database.ReadAsync((session, ct) => TaskRows.FindAsync(session, App, taskId, NowMs(), ct), cancellationToken);

    protected override Task<IReadOnlyList<TaskInfo>> ListCoreAsync(MindoraTaskStatus status, int limit, CancellationToken cancellationToken) =>
        _database.ReadAsync((session, ct) => TaskRows.ListAsync(session, App, status, limit, NowMs(), ct), cancellationToken);

    protected override Task<bool> CancelCoreAsync(string taskId, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            async (session, ct) =>
            {
                var canceled = await TaskRows.CancelAsync(session, App, taskId, NowMs(), ct);
                await TaskRows.SettleDependentsAsync(session, App, NowMs(), ct);
                return canceled;
            },
            cancellationToken);

    protected override Task<bool> RetryCoreAsync(string taskId, CancellationToken cancellationToken) =>
        _database.WriteAsync((session, ct) => TaskRows.RetryAsync(session, App, taskId, NowMs(), ct), cancellationToken);

    protected override Task<IReadOnlyList<TaskQueueDepth>> QueueDepthsCoreAsync(CancellationToken cancellationToken) =>
        _database.ReadAsync((session, ct) => TaskRows.QueueDepthsAsync(session, App, NowMs(), ct), cancellationToken);

    public override Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
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
                        await TaskRows.SettleDependentsAsync(session, App, now.ToUnixTimeMilliseconds(), ct);
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

    public override async Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var stored = StoredQueues(queues);
        TaskInputs.MaxWait(maxWait);

        var deadline = Time.GetTimestamp() + (long)(maxWait.TotalSeconds * Time.TimestampFrequency);
        while (true)
        {
            var signal = Signal.Next;
            var hasWork = await _database.ReadAsync((session, ct) => TaskRows.HasClaimableAsync(session, stored, NowMs(), ct), cancellationToken);
            var remaining = Time.GetElapsedTime(Time.GetTimestamp(), deadline);
            if (hasWork || remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Wake on an enqueue in this process, or poll for other processes' enqueues and due retries.
            using var pollCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(remaining < Options.PollInterval ? remaining : Options.PollInterval, Time, pollCancel.Token);
            await Task.WhenAny(signal, poll);
            await pollCancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    protected override Task<bool> RenewLeaseCoreAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            (session, ct) => TaskRows.RenewAsync(session, lease.Task.Id, lease.LeaseToken, (Now() + leaseDuration).ToUnixTimeMilliseconds(), ct),
            cancellationToken);

    protected override Task<bool> CompleteCoreAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            async (session, ct) =>
            {
                var held = await TaskRows.CompleteAsync(session, lease.Task.Id, lease.LeaseToken, resultJson, NowMs(), ct);
                if (held)
                {
                    await TaskRows.SettleDependentsAsync(session, App, NowMs(), ct);
                }

                return held;
            },
            cancellationToken);

    protected override Task<bool> FailCoreAsync(TaskLease lease, string message, bool retry, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            async (session, ct) =>
            {
                var counters = await TaskRows.FindLeasedAsync(session, lease.Task.Id, lease.LeaseToken, ct) ?? throw TaskInputs.LeaseLost(lease);
                var now = Now();
                if (retry && counters.Attempts < counters.MaxAttempts)
                {
                    var delay = RetryBackoff.Compute(counters.Attempts, Options.BaseRetryDelay, Options.MaxRetryDelay, Random.Shared.NextDouble());
                    await TaskRows.RescheduleAsync(session, lease.Task.Id, message, (now + delay).ToUnixTimeMilliseconds(), ct);
                    return true;
                }

                await TaskRows.MarkFailedAsync(session, lease.Task.Id, message, now.ToUnixTimeMilliseconds(), ct);
                await TaskRows.SettleDependentsAsync(session, App, now.ToUnixTimeMilliseconds(), ct);
                return false;
            },
            cancellationToken);

    protected override Task ReleaseCoreAsync(TaskLease lease, string reason, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            async (session, ct) =>
            {
                _ = await TaskRows.FindLeasedAsync(session, lease.Task.Id, lease.LeaseToken, ct) ?? throw TaskInputs.LeaseLost(lease);
                await TaskRows.ReleaseAsync(session, lease.Task.Id, reason, Now().ToUnixTimeMilliseconds(), ct);
                return true;
            },
            cancellationToken);

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

        var succeededCutoff = (now - Options.SucceededRetention).ToUnixTimeMilliseconds();
        var finishedCutoff = (now - Options.FinishedRetention).ToUnixTimeMilliseconds();
        await _database.WriteAsync((session, ct) => TaskRows.PurgeFinishedAsync(session, App, succeededCutoff, finishedCutoff, ct), cancellationToken);
    }

    /// <summary>Whether a task that runs after <paramref name="after"/> must wait (true) or can be queued now (its parent succeeded).</summary>
    private async Task<bool> DeferAsync(SqliteSession session, string after, DateTimeOffset now, CancellationToken cancellationToken) =>
        await TaskRows.FindAsync(session, App, after, now.ToUnixTimeMilliseconds(), cancellationToken) switch
        {
            null => throw TaskInputs.UnknownParent(after),
            { Status: MindoraTaskStatus.Succeeded } => false,
            { Status: MindoraTaskStatus.Failed or MindoraTaskStatus.Canceled } => throw TaskInputs.ParentEnded(after),
            _ => true,
        };

    private string[] StoredQueues(IReadOnlyList<string> queues) =>
        TaskInputs.Queues(queues).Select(q => TaskRows.StoredQueue(App, q)).ToArray();
}
