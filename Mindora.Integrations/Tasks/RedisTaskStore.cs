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
internal sealed class RedisTaskStore : TaskStoreBase, ITasksProvider, IAsyncDisposable
{
    private const string LostLastAttempt = "The lease of the last attempt expired: the worker stopped or did not renew its lease.";

    // A safety net only: pub/sub messages published while the subscriber reconnects are lost.
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    private readonly RedisClient _client;
    private readonly string _prefix;
    private readonly TaskTelemetry _telemetry;
    private readonly RecurringTasks _recurring;
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private IAsyncDisposable? _subscription;
    private int _disposed;

    public RedisTaskStore(RedisClient client, string app, MindoraTasksOptions options, IMeterFactory? meterFactory, TimeProvider time)
        : base(app, options, time)
    {
        _client = client;
        _prefix = App + ":tasks:";
        _telemetry = new TaskTelemetry(App, meterFactory);
        _recurring = new RecurringTasks(new RedisRecurringStore(client, _prefix), this, Inputs, time);
    }

    protected override TaskTelemetry Telemetry => _telemetry;

    protected override RecurringTasks Recurring => _recurring;

    protected override async Task<(TaskInfo Task, bool Created)> EnqueueCoreAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        var (queue, idempotencyKey) = (request.Queue, request.IdempotencyKey);
        var now = Now();
        var task = request.NewTask(now);
        var reply = await RunAsync(
            RedisTaskScripts.Enqueue,
            now,
            [
                task.Id, task.Name, queue, (int)task.Priority, task.MaxAttempts, task.PayloadJson, task.RunAt.ToUnixTimeMilliseconds(),
                task.Timeout is { } timeout ? ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : string.Empty,
                idempotencyKey ?? string.Empty, request.After ?? string.Empty, task.TraceParent ?? string.Empty,
            ],
            cancellationToken);
        switch (reply.Items[0].AsInteger())
        {
            case 0:
                return (ReadTask(reply.Items[1], reply.Items[2], now.ToUnixTimeMilliseconds())!, false);
            case -1:
                throw TaskInputs.UnknownParent(request.After!);
            case -2:
                throw TaskInputs.ParentEnded(request.After!);
            case 2:
                task = task with { Status = MindoraTaskStatus.Deferred };
                break;
        }

        return (task, true);
    }

    protected override async Task<TaskInfo?> GetCoreAsync(string taskId, CancellationToken cancellationToken)
    {
        var reply = await _client.ExecuteAsync(RedisRequest.Create("HGETALL", TaskKey(taskId)), cancellationToken);
        return RedisTaskFields.Read(taskId, reply, NowMs());
    }

    protected override Task<IReadOnlyList<TaskInfo>> ListCoreAsync(MindoraTaskStatus status, int limit, CancellationToken cancellationToken) =>
        new RedisTaskListing(_client, _prefix, NowMs()).ListAsync(status, limit, cancellationToken);

    protected override async Task<bool> CancelCoreAsync(string taskId, CancellationToken cancellationToken) =>
        (await RunAsync(RedisTaskScripts.Cancel, Now(), [taskId], cancellationToken)).AsInteger() == 1;

    protected override async Task<bool> RetryCoreAsync(string taskId, CancellationToken cancellationToken) =>
        (await RunAsync(RedisTaskScripts.Retry, Now(), [taskId], cancellationToken)).AsInteger() == 1;

    protected override async Task<IReadOnlyList<TaskQueueDepth>> QueueDepthsCoreAsync(CancellationToken cancellationToken)
    {
        var items = (await RunRetriedAsync(RedisTaskScripts.Depths, Now(), [], cancellationToken)).Items;
        var depths = new List<TaskQueueDepth>(items.Count / 6);
        for (var i = 0; i + 5 < items.Count; i += 6)
        {
            depths.Add(new TaskQueueDepth(
                items[i].AsString()!, Count(items[i + 1]), Count(items[i + 2]), Count(items[i + 3]), Count(items[i + 4]), Count(items[i + 5])));
        }

        return depths.OrderBy(d => d.Queue, StringComparer.Ordinal).ToList();

        static int Count(RespValue value) => (int)value.AsInteger();
    }

    public override Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        var names = TaskInputs.Queues(queues);
        var worker = TaskInputs.Worker(workerId);
        TaskInputs.Lease(leaseDuration, nameof(leaseDuration));

        return _telemetry.RunAsync("claim", string.Join(',', names), async () =>
        {
            await RedisResilience.TransientRetry.ExecuteAsync(async ct => await _recurring.FireDueAsync(ct), cancellationToken);
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

            var reply = await RunRetriedAsync(RedisTaskScripts.Claim, now, args, cancellationToken);
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

    public override async Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var names = TaskInputs.Queues(queues);
        TaskInputs.MaxWait(maxWait);
        await SubscribeOnceAsync(cancellationToken);
        var args = names.Select(n => (RedisArg)n).ToArray();
        var deadline = Time.GetTimestamp() + (long)(maxWait.TotalSeconds * Time.TimestampFrequency);
        while (true)
        {
            var signal = Signal.Next;
            var now = Now();
            var next = (await RunRetriedAsync(RedisTaskScripts.Peek, now, args, cancellationToken)).AsInteger();
            var remaining = Time.GetElapsedTime(Time.GetTimestamp(), deadline);
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
            await Task.WhenAny(signal, Task.Delay(wait, Time, delayCancel.Token));
            await delayCancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    protected override async Task<bool> RenewLeaseCoreAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = Now();
        var reply = await RunRetriedAsync(RedisTaskScripts.Renew, now, [lease.Task.Id, lease.LeaseToken, (now + leaseDuration).ToUnixTimeMilliseconds()], cancellationToken);
        return reply.AsInteger() == 1;
    }

    protected override async Task<bool> CompleteCoreAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken)
    {
        var reply = await RunRetriedAsync(
            RedisTaskScripts.Complete, Now(), repeat => [lease.Task.Id, lease.LeaseToken, resultJson is null ? "0" : "1", resultJson ?? string.Empty, Flag(repeat)], cancellationToken);
        return reply.AsInteger() == 1;
    }

    protected override async Task<bool> FailCoreAsync(TaskLease lease, string message, bool retry, CancellationToken cancellationToken)
    {
        // The lease's attempt count is the task's while the lease is held (the script checks that).
        var delay = RetryBackoff.Compute(lease.Task.Attempts, Options.BaseRetryDelay, Options.MaxRetryDelay, Random.Shared.NextDouble());
        var reply = await RunRetriedAsync(
            RedisTaskScripts.Fail, Now(), repeat => [lease.Task.Id, lease.LeaseToken, message, Flag(retry), (long)delay.TotalMilliseconds, Flag(repeat)], cancellationToken);
        var outcome = reply.AsInteger();
        if (outcome < 0)
        {
            throw TaskInputs.LeaseLost(lease);
        }

        return outcome == 1;
    }

    protected override async Task ReleaseCoreAsync(TaskLease lease, string reason, CancellationToken cancellationToken)
    {
        var reply = await RunRetriedAsync(RedisTaskScripts.Release, Now(), repeat => [lease.Task.Id, lease.LeaseToken, reason ?? string.Empty, Flag(repeat)], cancellationToken);
        TaskInputs.EnsureHeld(reply.AsInteger() == 1, lease);
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
            _subscription ??= await _client.SubscribeAsync(_prefix + "work", _ => Signal.Pulse(), cancellationToken);
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
        all[2] = Milliseconds(Options.SucceededRetention);
        all[3] = Milliseconds(Options.FinishedRetention);
        args.CopyTo(all, 4);
        return _client.EvaluateAsync(_client.Settings.DefaultDatabase, script, [], all, cancellationToken);
    }

    // The worker's path (claim, wait, heartbeat, complete, fail, release) rides out a lost
    // connection: each script is safe to repeat. A repeated claim whose first reply was lost
    // leaves that claim to expire and run again (at least once); a repeated completion, failure
    // or release finds its own attempt already ended ('lt') and reports that outcome.
    private Task<RespValue> RunRetriedAsync(RedisScript script, DateTimeOffset now, RedisArg[] args, CancellationToken cancellationToken) =>
        RunRetriedAsync(script, now, _ => args, cancellationToken);

    /// <summary>As above; <paramref name="args"/> learns whether this run repeats one whose reply was lost.</summary>
    private Task<RespValue> RunRetriedAsync(RedisScript script, DateTimeOffset now, Func<bool, RedisArg[]> args, CancellationToken cancellationToken)
    {
        var runs = 0;
        return RedisResilience.TransientRetry.ExecuteAsync(async ct => await RunAsync(script, now, args(runs++ > 0), ct), cancellationToken).AsTask();
    }

    private static string Flag(bool value) => value ? "1" : "0";

    private static TaskInfo? ReadTask(RespValue id, RespValue hash, long now) => RedisTaskFields.Read(id.AsString()!, hash, now);

    private string TaskKey(string id) => _prefix + "t:" + id;

    private static long Milliseconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds));
}
