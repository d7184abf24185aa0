using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Background tasks in <c>{dir}/tasks.db</c>, shared by the API and worker processes of one
/// machine. Claims are one atomic UPDATE … RETURNING inside BEGIN IMMEDIATE; every later step of
/// an attempt checks its lease token, so a worker that lost its lease cannot overwrite a newer attempt.
/// </summary>
internal sealed class EmbeddedTaskStore : ITasksProvider
{
    private const int MaxErrorLength = 8000;
    private const int MaxQueues = 32;
    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(1);
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);

    private readonly SqliteDatabase _database;
    private readonly string _app;
    private readonly MindoraTasksOptions _options;
    private readonly TimeProvider _time;
    private readonly MindoraInstrumentation _telemetry;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly WorkSignal _signal = new();
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private long _nextPurgeAt;
    private int _disposed;

    public EmbeddedTaskStore(string directory, string app, MindoraTasksOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        ValidateOptions(options);
        _app = MindoraNames.ValidateAppName(app);
        _options = options;
        _time = time;
        _database = new SqliteDatabase(directory, "tasks.db", "tasks", TaskRows.Schema, durableCommits: false);
        _telemetry = new MindoraInstrumentation("Tasks", "mindora.tasks", "tasks", "mindora.queue", meterFactory);
        _enqueued = _telemetry.CreateCounter("enqueued", "{task}", "Tasks enqueued.");
        _claimed = _telemetry.CreateCounter("claimed", "{task}", "Task attempts claimed by workers.");
        _completed = _telemetry.CreateCounter("completed", "{task}", "Tasks that succeeded.");
        _failed = _telemetry.CreateCounter("failed", "{task}", "Tasks that failed after their last attempt.");
        _retried = _telemetry.CreateCounter("retried", "{task}", "Failed attempts scheduled to run again.");
    }

    public Task<TaskInfo> EnqueueAsync(string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = MindoraNames.ValidateTaskName(taskName);
        options ??= new EnqueueOptions();
        var queue = ValidateQueue(options.Queue);
        ValidateEnqueueOptions(options);
        var idempotencyKey = options.IdempotencyKey is null
            ? null
            : MindoraArguments.RequireIdentifier(options.IdempotencyKey, "options.IdempotencyKey", "idempotency key", 200);
        var payloadJson = SerializePayload(payload);

        return _telemetry.RunAsync("enqueue", _app, queue, async () =>
        {
            var now = Now();
            var runAt = options.RunAt is { } at ? Truncate(at) : Truncate(now + (options.Delay ?? TimeSpan.Zero));
            var task = new TaskInfo(
                Guid.NewGuid().ToString("N"), name, queue, options.Priority,
                runAt > now ? MindoraTaskStatus.Scheduled : MindoraTaskStatus.Queued,
                Attempts: 0, options.MaxAttempts, payloadJson, ResultJson: null, Error: null,
                CreatedAt: now, RunAt: runAt, StartedAt: null, FinishedAt: null, Worker: null, options.Timeout);

            var (stored, created) = await _database.WriteAsync(
                async (session, ct) =>
                {
                    if (idempotencyKey is not null
                        && await TaskRows.FindByIdempotencyKeyAsync(session, _app, idempotencyKey, now.ToUnixTimeMilliseconds(), ct) is { } existing)
                    {
                        return (existing, false);
                    }

                    await TaskRows.InsertAsync(session, _app, task, idempotencyKey, ct);
                    return (task, true);
                },
                cancellationToken);

            if (created)
            {
                _enqueued.Add(1, Tags(queue));
                _signal.Pulse();
            }

            return stored;
        });
    }

    public Task<TaskInfo?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = ValidateTaskId(taskId);
        return _telemetry.RunAsync("get", _app, null, () =>
            _database.ReadAsync((session, ct) => TaskRows.FindAsync(session, _app, id, NowMs(), ct), cancellationToken));
    }

    public Task<IReadOnlyList<TaskInfo>> ListAsync(MindoraTaskStatus status, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(status))
        {
            throw new MindoraValidationException(nameof(status), $"Unknown task status {status}.");
        }

        if (limit is < 1 or > 1000)
        {
            throw new MindoraValidationException(nameof(limit), "The limit must be between 1 and 1000.");
        }

        return _telemetry.RunAsync("list", _app, null, () =>
            _database.ReadAsync((session, ct) => TaskRows.ListAsync(session, _app, status, limit, NowMs(), ct), cancellationToken));
    }

    public Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = ValidateTaskId(taskId);
        return _telemetry.RunAsync("cancel", _app, null, () =>
            _database.WriteAsync((session, ct) => TaskRows.CancelAsync(session, _app, id, NowMs(), ct), cancellationToken));
    }

    public Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var stored = StoredQueues(queues);
        var worker = MindoraArguments.RequireIdentifier(workerId, nameof(workerId), "worker id", 200);
        ValidateLease(leaseDuration, nameof(leaseDuration));

        return _telemetry.RunAsync("claim", _app, string.Join(',', queues), async () =>
        {
            var now = Now();

            // Before the claim: nothing may throw between a committed claim and returning its lease.
            await PurgeFinishedIfDueAsync(now, cancellationToken);
            var token = Guid.NewGuid().ToString("N");
            var expires = now + leaseDuration;
            var (claimed, exhausted) = await _database.WriteAsync(
                async (session, ct) =>
                {
                    var failed = await TaskRows.FailExhaustedLeasesAsync(session, stored, now.ToUnixTimeMilliseconds(), ct);
                    var task = await TaskRows.ClaimAsync(session, stored, worker, token, now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), ct);
                    return (task, failed);
                },
                cancellationToken);

            if (exhausted > 0)
            {
                _failed.Add(exhausted, Tags(null));
            }

            if (claimed is null)
            {
                return null;
            }

            _claimed.Add(1, Tags(claimed.Queue));
            return new TaskLease(claimed, token, DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds()));
        });
    }

    public async Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var stored = StoredQueues(queues);
        if (maxWait < TimeSpan.Zero)
        {
            throw new MindoraValidationException(nameof(maxWait), "maxWait must not be negative.");
        }

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
        ValidateLease(leaseDuration, nameof(leaseDuration));
        return _telemetry.RunAsync("renew", _app, lease.Task.Queue, () =>
            _database.WriteAsync(
                (session, ct) => TaskRows.RenewAsync(session, lease.Task.Id, lease.LeaseToken, (Now() + leaseDuration).ToUnixTimeMilliseconds(), ct),
                cancellationToken));
    }

    public Task CompleteAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ValidateResult(resultJson);
        return _telemetry.RunAsync("complete", _app, lease.Task.Queue, async () =>
        {
            var completed = await _database.WriteAsync(
                (session, ct) => TaskRows.CompleteAsync(session, lease.Task.Id, lease.LeaseToken, resultJson, NowMs(), ct),
                cancellationToken);
            if (!completed)
            {
                throw LeaseLost(lease);
            }

            _completed.Add(1, Tags(lease.Task.Queue));
        });
    }

    public Task FailAsync(TaskLease lease, string error, bool retry = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var message = string.IsNullOrWhiteSpace(error) ? "The task failed without an error message." : error;
        if (message.Length > MaxErrorLength)
        {
            message = message[..MaxErrorLength] + "…";
        }

        return _telemetry.RunAsync("fail", _app, lease.Task.Queue, async () =>
        {
            var retrying = await _database.WriteAsync(
                async (session, ct) =>
                {
                    var counters = await TaskRows.FindLeasedAsync(session, lease.Task.Id, lease.LeaseToken, ct) ?? throw LeaseLost(lease);
                    var now = Now();
                    if (retry && counters.Attempts < counters.MaxAttempts)
                    {
                        var delay = RetryBackoff.Compute(counters.Attempts, _options.BaseRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
                        await TaskRows.RescheduleAsync(session, lease.Task.Id, message, (now + delay).ToUnixTimeMilliseconds(), ct);
                        return true;
                    }

                    await TaskRows.MarkFailedAsync(session, lease.Task.Id, message, now.ToUnixTimeMilliseconds(), ct);
                    return false;
                },
                cancellationToken);

            (retrying ? _retried : _failed).Add(1, Tags(lease.Task.Queue));
        });
    }

    public Task ReleaseAsync(TaskLease lease, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return _telemetry.RunAsync("release", _app, lease.Task.Queue, () => _database.WriteAsync(
            async (session, ct) =>
            {
                _ = await TaskRows.FindLeasedAsync(session, lease.Task.Id, lease.LeaseToken, ct) ?? throw LeaseLost(lease);
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

        var cutoff = (now - _options.FinishedRetention).ToUnixTimeMilliseconds();
        await _database.WriteAsync((session, ct) => TaskRows.PurgeFinishedAsync(session, _app, cutoff, ct), cancellationToken);
    }

    private DateTimeOffset Now() => Truncate(_time.GetUtcNow());

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // The store keeps milliseconds; snapshots built in memory must equal what a later read returns.
    private static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    private TagList Tags(string? queue)
    {
        var tags = new TagList { { MindoraInstrumentation.AppTag, _app } };
        if (queue is not null)
        {
            tags.Add("mindora.queue", queue);
        }

        return tags;
    }

    private string SerializePayload(object? payload)
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

        if (Encoding.UTF8.GetByteCount(json) > _options.MaxPayloadBytes)
        {
            throw new MindoraPayloadTooLargeException("The task payload (as JSON)", _options.MaxPayloadBytes);
        }

        return json;
    }

    private void ValidateResult(string? resultJson)
    {
        if (resultJson is null)
        {
            return;
        }

        if (Encoding.UTF8.GetByteCount(resultJson) > _options.MaxPayloadBytes)
        {
            throw new MindoraPayloadTooLargeException("The task result (as JSON)", _options.MaxPayloadBytes);
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

    private string[] StoredQueues(IReadOnlyList<string> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Count is 0 or > MaxQueues)
        {
            throw new MindoraValidationException(nameof(queues), $"Give 1 to {MaxQueues} queues.");
        }

        return queues.Select(ValidateQueue).Distinct(StringComparer.Ordinal).Select(q => TaskRows.StoredQueue(_app, q)).ToArray();
    }

    private static string ValidateQueue(string queue) => MindoraNames.ValidateLogicalName(queue, "queue", nameof(queue));

    private static string ValidateTaskId(string taskId) => MindoraArguments.RequireIdentifier(taskId, nameof(taskId), "task id", 200);

    private static MindoraConflictException LeaseLost(TaskLease lease) =>
        new($"The lease on task '{lease.Task.Id}' is no longer held (it expired and another attempt claimed the task, or the task ended); this attempt's outcome was not recorded.");

    private static void ValidateLease(TimeSpan leaseDuration, string parameterName)
    {
        if (leaseDuration <= TimeSpan.Zero || leaseDuration > MaxLease)
        {
            throw new MindoraValidationException(parameterName, "The lease duration must be greater than 0 and at most 1 day.");
        }
    }

    private static void ValidateEnqueueOptions(EnqueueOptions options)
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

    private static void ValidateOptions(MindoraTasksOptions options)
    {
        if (options.BaseRetryDelay < TimeSpan.Zero || options.MaxRetryDelay < options.BaseRetryDelay)
        {
            throw new MindoraConfigurationException($"{MindoraTasksOptions.SectionName}: BaseRetryDelay must not be negative and MaxRetryDelay must be at least BaseRetryDelay.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.MaxPayloadBytes <= 0 || options.FinishedRetention <= TimeSpan.Zero)
        {
            throw new MindoraConfigurationException($"{MindoraTasksOptions.SectionName}: PollInterval, MaxPayloadBytes and FinishedRetention must be greater than 0.");
        }
    }
}
