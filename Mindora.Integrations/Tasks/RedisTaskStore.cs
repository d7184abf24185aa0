using System.Diagnostics.Metrics;
using System.Globalization;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Background tasks on Redis through Mindora's RESP client. Every state change is one Lua script
/// (<see cref="RedisTaskScripts"/>), so claims, retries and lease recovery are atomic across all
/// the processes of the app; every key and the wake-up channel live under <c>{app}:tasks:</c>,
/// inside what the app's ACL user may touch. Idle workers wait on pub/sub, and sleep no longer
/// than until the next scheduled run or lease expiry.
/// </summary>
internal sealed class RedisTaskStore : ITasksProvider, IAsyncDisposable
{
    private const string LostLastAttempt = "The lease of the last attempt expired: the worker stopped or did not renew its lease.";

    // A safety net only: pub/sub messages published while the subscriber reconnects are lost.
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    private readonly RedisClient _client;
    private readonly string _app;
    private readonly string _prefix;
    private readonly MindoraTasksOptions _options;
    private readonly TimeProvider _time;
    private readonly TaskTelemetry _telemetry;
    private readonly TaskInputs _inputs;
    private readonly WorkSignal _signal = new();
    private readonly RecurringTasks _recurring;
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private IAsyncDisposable? _subscription;
    private int _disposed;

    public RedisTaskStore(RedisClient client, string app, MindoraTasksOptions options, IMeterFactory? meterFactory, TimeProvider time)
    {
        TaskInputs.Options(options);
        _client = client;
        _app = MindoraNames.ValidateAppName(app);
        _prefix = _app + ":tasks:";
        _options = options;
        _time = time;
        _inputs = new TaskInputs(options);
        _telemetry = new TaskTelemetry(_app, meterFactory);
        _recurring = new RecurringTasks(new RedisRecurringStore(client, _prefix), this, _inputs, time);
    }

    public Task<TaskInfo> EnqueueAsync(string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = _inputs.Request(taskName, payload, options);
        var (queue, idempotencyKey) = (request.Queue, request.IdempotencyKey);
        return _telemetry.RunAsync("enqueue", queue, async () =>
        {
            var now = Now();
            var task = request.NewTask(now);
            var reply = await RunAsync(
                RedisTaskScripts.Enqueue,
                now,
                [
                    task.Id, task.Name, queue, (int)task.Priority, task.MaxAttempts, task.PayloadJson, task.RunAt.ToUnixTimeMilliseconds(),
                    task.Timeout is { } timeout ? ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : string.Empty,
                    idempotencyKey ?? string.Empty, request.After ?? string.Empty,
                ],
                cancellationToken);
            switch (reply.Items[0].AsInteger())
            {
                case 0:
                    return ReadTask(reply.Items[1], reply.Items[2], now.ToUnixTimeMilliseconds())!;
                case -1:
                    throw TaskInputs.UnknownParent(request.After!);
                case -2:
                    throw TaskInputs.ParentEnded(request.After!);
                case 2:
                    task = task with { Status = MindoraTaskStatus.Deferred };
                    break;
            }

            _telemetry.Count(_telemetry.Enqueued, queue);
            _signal.Pulse();
            return task;
        });
    }

    public Task<TaskInfo?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return _telemetry.RunAsync("get", null, async () =>
        {
            var reply = await _client.ExecuteAsync(RedisRequest.Create("HGETALL", TaskKey(id)), cancellationToken);
            return RedisTaskFields.Read(id, reply, NowMs());
        });
    }

    public Task<IReadOnlyList<TaskInfo>> ListAsync(MindoraTaskStatus status, int limit = 100, CancellationToken cancellationToken = default)
    {
        TaskInputs.Status(status, limit);
        return _telemetry.RunAsync("list", null, () => new RedisTaskListing(_client, _prefix, NowMs()).ListAsync(status, limit, cancellationToken));
    }

    public Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var id = TaskInputs.TaskId(taskId);
        return _telemetry.RunAsync("cancel", null, async () =>
            (await RunAsync(RedisTaskScripts.Cancel, Now(), [id], cancellationToken)).AsInteger() == 1);
    }

    public Task ScheduleRecurringAsync(string scheduleName, string cron, string taskName, object? payload, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        _telemetry.RunAsync("schedule", null, () => _recurring.ScheduleAsync(scheduleName, cron, taskName, payload, options, cancellationToken));

    public Task<bool> RemoveRecurringAsync(string scheduleName, CancellationToken cancellationToken = default) =>
        _telemetry.RunAsync("unschedule", null, () => _recurring.RemoveAsync(scheduleName, cancellationToken));

    public Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var names = TaskInputs.Queues(queues);
        var worker = TaskInputs.Worker(workerId);
        TaskInputs.Lease(leaseDuration, nameof(leaseDuration));

        return _telemetry.RunAsync("claim", string.Join(',', names), async () =>
        {
            await _recurring.FireDueAsync(cancellationToken);
            var now = Now();
            var token = Guid.NewGuid().ToString("N");
            var expires = (now + leaseDuration).ToUnixTimeMilliseconds();
            var args = new RedisArg[4 + names.Length];
            args[0] = token;
            args[1] = expires;
            args[2] = worker;
            args[3] = LostLastAttempt;
            for (var i = 0; i < names.Length; i++)
            {
                args[4 + i] = names[i];
            }

            var reply = await RunAsync(RedisTaskScripts.Claim, now, args, cancellationToken);
            if (reply.Items[0].AsInteger() is var exhausted and > 0)
            {
                _telemetry.Count(_telemetry.Failed, null, exhausted);
            }

            if (reply.Items.Count < 3 || ReadTask(reply.Items[1], reply.Items[2], now.ToUnixTimeMilliseconds()) is not { } claimed)
            {
                return null;
            }

            _telemetry.Count(_telemetry.Claimed, claimed.Queue);
            return new TaskLease(claimed, token, DateTimeOffset.FromUnixTimeMilliseconds(expires));
        });
    }

    public async Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var names = TaskInputs.Queues(queues);
        TaskInputs.MaxWait(maxWait);
        await SubscribeOnceAsync(cancellationToken);
        var args = names.Select(n => (RedisArg)n).ToArray();
        var deadline = _time.GetTimestamp() + (long)(maxWait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var signal = _signal.Next;
            var now = Now();
            var next = (await RunAsync(RedisTaskScripts.Peek, now, args, cancellationToken)).AsInteger();
            var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (next == 0 || remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Sleep until an enqueue or release is published, the next task falls due or a lease
            // expires (a dead worker's task), or the safety re-check — never a busy loop.
            var wait = remaining < RecheckEvery ? remaining : RecheckEvery;
            if (next > 0)
            {
                var untilDue = TimeSpan.FromMilliseconds(Math.Max(1, next - now.ToUnixTimeMilliseconds() + 1));
                wait = untilDue < wait ? untilDue : wait;
            }

            using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(signal, Task.Delay(wait, _time, delayCancel.Token));
            await delayCancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<bool> RenewLeaseAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        TaskInputs.Lease(leaseDuration, nameof(leaseDuration));
        return _telemetry.RunAsync("renew", lease.Task.Queue, async () =>
        {
            var now = Now();
            var reply = await RunAsync(RedisTaskScripts.Renew, now, [lease.Task.Id, lease.LeaseToken, (now + leaseDuration).ToUnixTimeMilliseconds()], cancellationToken);
            return reply.AsInteger() == 1;
        });
    }

    public Task CompleteAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _inputs.Result(resultJson);
        return _telemetry.RunAsync("complete", lease.Task.Queue, async () =>
        {
            var reply = await RunAsync(
                RedisTaskScripts.Complete, Now(), [lease.Task.Id, lease.LeaseToken, resultJson is null ? "0" : "1", resultJson ?? string.Empty], cancellationToken);
            TaskInputs.EnsureHeld(reply.AsInteger() == 1, lease);
            _telemetry.Count(_telemetry.Completed, lease.Task.Queue);
        });
    }

    public Task FailAsync(TaskLease lease, string error, bool retry = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var message = TaskInputs.Error(error);
        return _telemetry.RunAsync("fail", lease.Task.Queue, async () =>
        {
            // The lease's attempt count is the task's while the lease is held (the script checks that).
            var delay = RetryBackoff.Compute(lease.Task.Attempts, _options.BaseRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
            var reply = await RunAsync(
                RedisTaskScripts.Fail, Now(), [lease.Task.Id, lease.LeaseToken, message, retry ? "1" : "0", (long)delay.TotalMilliseconds], cancellationToken);
            var outcome = reply.AsInteger();
            if (outcome < 0)
            {
                throw TaskInputs.LeaseLost(lease);
            }

            _telemetry.Count(outcome == 1 ? _telemetry.Retried : _telemetry.Failed, lease.Task.Queue);
        });
    }

    public Task ReleaseAsync(TaskLease lease, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return _telemetry.RunAsync("release", lease.Task.Queue, async () =>
        {
            var reply = await RunAsync(RedisTaskScripts.Release, Now(), [lease.Task.Id, lease.LeaseToken, reason ?? string.Empty], cancellationToken);
            TaskInputs.EnsureHeld(reply.AsInteger() == 1, lease);
        });
    }

    /// <summary>Reads a key of the app, so a wrong password or ACL fails the health check, not the first task.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) =>
        _client.ExecuteAsync(RedisRequest.Create("EXISTS", _prefix + "queues"), cancellationToken);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        await _client.DisposeAsync();
        _subscribing.Dispose();
        _telemetry.Dispose();
    }

    private async Task SubscribeOnceAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _subscription) is not null)
        {
            return;
        }

        await _subscribing.WaitAsync(cancellationToken);
        try
        {
            _subscription ??= await _client.SubscribeAsync(_prefix + "work", _ => _signal.Pulse(), cancellationToken);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private Task<RespValue> RunAsync(RedisScript script, DateTimeOffset now, RedisArg[] args, CancellationToken cancellationToken)
    {
        var all = new RedisArg[4 + args.Length];
        all[0] = _prefix;
        all[1] = now.ToUnixTimeMilliseconds();
        all[2] = Milliseconds(_options.SucceededRetention);
        all[3] = Milliseconds(_options.FinishedRetention);
        args.CopyTo(all, 4);
        return _client.EvaluateAsync(_client.Settings.DefaultDatabase, script, [], all, cancellationToken);
    }

    private static TaskInfo? ReadTask(RespValue id, RespValue hash, long now) => RedisTaskFields.Read(id.AsString()!, hash, now);

    private string TaskKey(string id) => _prefix + "t:" + id;

    private DateTimeOffset Now() => TaskInputs.Truncate(_time.GetUtcNow());

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Milliseconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds));
}
