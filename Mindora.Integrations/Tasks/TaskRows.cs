using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// The SQL of <c>tasks.db</c>. Queues are stored as <c>{app}:{queue}</c> (':' is in neither
/// alphabet, so names cannot collide across apps); every query also filters on the app.
/// Times are Unix milliseconds.
/// </summary>
internal static class TaskRows
{
    public static IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS tasks (
            id TEXT NOT NULL PRIMARY KEY,
            app TEXT NOT NULL,
            name TEXT NOT NULL,
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            payload TEXT NOT NULL,
            result TEXT,
            error TEXT,
            created_at INTEGER NOT NULL,
            run_at INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            worker TEXT,
            timeout_ms INTEGER,
            lease_token TEXT,
            lease_expires INTEGER,
            idempotency_key TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS ix_tasks_claim ON tasks (queue, status, priority, run_at)",
        "CREATE INDEX IF NOT EXISTS ix_tasks_app_status ON tasks (app, status)",
        "CREATE TABLE IF NOT EXISTS task_dependents (parent_id TEXT NOT NULL, child_id TEXT NOT NULL PRIMARY KEY)",
        "CREATE INDEX IF NOT EXISTS ix_task_dependents_parent ON task_dependents (parent_id)",
        "CREATE TABLE IF NOT EXISTS task_schedules (app TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, next_due INTEGER NOT NULL, PRIMARY KEY (app, name))",
        "CREATE UNIQUE INDEX IF NOT EXISTS ux_tasks_idempotency ON tasks (app, idempotency_key) WHERE idempotency_key IS NOT NULL",

        // A table of its own rather than a column: stores created before trace context existed
        // gain it through this idempotent statement, with no ALTER TABLE to run once.
        "CREATE TABLE IF NOT EXISTS task_traces (task_id TEXT NOT NULL PRIMARY KEY, traceparent TEXT NOT NULL)",
    ];

    private const string Columns =
        "id, name, queue, priority, status, attempts, max_attempts, payload, result, error, created_at, run_at, started_at, finished_at, worker, timeout_ms, " +
        "(SELECT traceparent FROM task_traces WHERE task_traces.task_id = tasks.id)";

    // Due work: queued or scheduled whose time has come, or running whose worker stopped renewing.
    private const string Claimable =
        "((status IN ('queued', 'scheduled') AND run_at <= @now) OR (status = 'running' AND lease_expires < @now))";

    public static string StoredQueue(string app, string queue) => app + ":" + queue;

    public static async Task InsertAsync(SqliteSession session, string app, TaskInfo task, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            """
            INSERT INTO tasks (id, app, name, queue, priority, status, attempts, max_attempts, payload, created_at, run_at, timeout_ms, idempotency_key)
            VALUES (@id, @app, @name, @queue, @priority, @status, 0, @maxAttempts, @payload, @createdAt, @runAt, @timeout, @idempotencyKey)
            """)
            .With("@id", task.Id).With("@app", app).With("@name", task.Name).With("@queue", StoredQueue(app, task.Queue))
            .With("@priority", (int)task.Priority)
            .With("@status", TaskStates.ToStored(task.Status))
            .With("@maxAttempts", task.MaxAttempts).With("@payload", task.PayloadJson)
            .With("@createdAt", task.CreatedAt.ToUnixTimeMilliseconds()).With("@runAt", task.RunAt.ToUnixTimeMilliseconds())
            .With("@timeout", task.Timeout is { } timeout ? (long)timeout.TotalMilliseconds : null)
            .With("@idempotencyKey", idempotencyKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (task.TraceParent is { } traceParent)
        {
            using var trace = session.Command("INSERT INTO task_traces (task_id, traceparent) VALUES (@id, @traceparent)")
                .With("@id", task.Id).With("@traceparent", traceParent);
            await trace.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<TaskInfo?> FindAsync(SqliteSession session, string app, string id, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command($"SELECT {Columns} FROM tasks WHERE id = @id AND app = @app")
            .With("@id", id).With("@app", app);
        return await ReadSingleAsync(command, now, cancellationToken);
    }

    public static async Task<TaskInfo?> FindByIdempotencyKeyAsync(SqliteSession session, string app, string key, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command($"SELECT {Columns} FROM tasks WHERE app = @app AND idempotency_key = @key")
            .With("@app", app).With("@key", key);
        return await ReadSingleAsync(command, now, cancellationToken);
    }

    public static async Task<IReadOnlyList<TaskInfo>> ListAsync(SqliteSession session, string app, MindoraTaskStatus status, int limit, long now, CancellationToken cancellationToken)
    {
        var filter = status switch
        {
            MindoraTaskStatus.Queued => "(status = 'queued' OR (status = 'scheduled' AND run_at <= @now)) ORDER BY priority, run_at, rowid",
            MindoraTaskStatus.Scheduled => "status = 'scheduled' AND run_at > @now ORDER BY run_at, priority, rowid",
            MindoraTaskStatus.Running => "status = 'running' ORDER BY started_at DESC, rowid DESC",
            MindoraTaskStatus.Succeeded => "status = 'succeeded' ORDER BY finished_at DESC, rowid DESC",
            MindoraTaskStatus.Failed => "status = 'failed' ORDER BY finished_at DESC, rowid DESC",
            MindoraTaskStatus.Canceled => "status = 'canceled' ORDER BY finished_at DESC, rowid DESC",
            MindoraTaskStatus.Deferred => "status = 'deferred' ORDER BY created_at, rowid",
            _ => throw new MindoraValidationException(nameof(status), $"Unknown task status {status}."),
        };
        using var command = session.Command($"SELECT {Columns} FROM tasks WHERE app = @app AND {filter} LIMIT @limit")
            .With("@app", app).With("@now", now).With("@limit", limit);
        var tasks = new List<TaskInfo>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tasks.Add(Read(reader, now));
        }

        return tasks;
    }

    public static async Task<bool> CancelAsync(SqliteSession session, string app, string id, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            "UPDATE tasks SET status = 'canceled', finished_at = @now WHERE id = @id AND app = @app AND status IN ('queued', 'scheduled', 'deferred')")
            .With("@id", id).With("@app", app).With("@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Queues a failed or canceled task again now, its attempts reset; false when it is in another status.</summary>
    public static async Task<bool> RetryAsync(SqliteSession session, string app, string id, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            """
            UPDATE tasks SET status = 'queued', attempts = 0, run_at = @now, finished_at = NULL, result = NULL, lease_token = NULL, lease_expires = NULL
            WHERE id = @id AND app = @app AND status IN ('failed', 'canceled')
            """)
            .With("@id", id).With("@app", app).With("@now", now);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        // It runs now, not after the task it once waited for.
        using var link = session.Command("DELETE FROM task_dependents WHERE child_id = @id").With("@id", id);
        await link.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Per queue of the app holding waiting or running tasks: due by priority, scheduled, running.</summary>
    public static async Task<IReadOnlyList<TaskQueueDepth>> QueueDepthsAsync(SqliteSession session, string app, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            """
            SELECT queue,
              SUM(due AND priority = 0), SUM(due AND priority = 1), SUM(due AND priority = 2),
              SUM(status = 'scheduled' AND NOT due), SUM(status = 'running')
            FROM (SELECT queue, priority, status, (status = 'queued' OR (status = 'scheduled' AND run_at <= @now)) AS due
                  FROM tasks WHERE app = @app AND status IN ('queued', 'scheduled', 'running'))
            GROUP BY queue ORDER BY queue
            """)
            .With("@app", app).With("@now", now);
        var depths = new List<TaskQueueDepth>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var storedQueue = reader.GetString(0);
            depths.Add(new TaskQueueDepth(
                storedQueue[(storedQueue.IndexOf(':', StringComparison.Ordinal) + 1)..],
                reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)));
        }

        return depths;
    }

    /// <summary>Makes <paramref name="childId"/> wait for <paramref name="parentId"/>.</summary>
    public static async Task AddDependentAsync(SqliteSession session, string parentId, string childId, CancellationToken cancellationToken)
    {
        using var command = session.Command("INSERT INTO task_dependents (parent_id, child_id) VALUES (@parent, @child)")
            .With("@parent", parentId).With("@child", childId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Settles deferred tasks whose parent ended: queued (or scheduled, if their run time is still
    /// ahead) after a success, canceled after a failure or cancellation — repeated so a chain
    /// A → B → C is canceled to its end in the same transaction.
    /// </summary>
    public static async Task SettleDependentsAsync(SqliteSession session, string app, long now, CancellationToken cancellationToken)
    {
        using var release = session.Command(
            """
            UPDATE tasks SET status = CASE WHEN run_at > @now THEN 'scheduled' ELSE 'queued' END
            WHERE app = @app AND status = 'deferred'
              AND id IN (SELECT d.child_id FROM task_dependents d JOIN tasks p ON p.id = d.parent_id WHERE p.status = 'succeeded')
            """)
            .With("@app", app).With("@now", now);
        await release.ExecuteNonQueryAsync(cancellationToken);
        using var cancel = session.Command(
            """
            UPDATE tasks SET status = 'canceled', finished_at = @now,
              error = 'The task it runs after failed or was canceled.'
            WHERE app = @app AND status = 'deferred'
              AND id IN (SELECT d.child_id FROM task_dependents d JOIN tasks p ON p.id = d.parent_id WHERE p.status IN ('failed', 'canceled'))
            """)
            .With("@app", app).With("@now", now);
        while (await cancel.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
        }
    }

    /// <summary>Fails tasks whose last attempt's worker vanished: reclaiming them would exceed MaxAttempts.</summary>
    public static async Task<int> FailExhaustedLeasesAsync(SqliteSession session, IReadOnlyList<string> storedQueues, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(string.Empty).With("@now", now)
            .With("@error", "The lease of the last attempt expired: the worker stopped or did not renew its lease.");
        command.CommandText =
            "UPDATE tasks SET status = 'failed', error = @error, finished_at = @now, lease_token = NULL, lease_expires = NULL " +
            $"WHERE queue IN ({AddQueues(command, storedQueues)}) AND status = 'running' AND lease_expires < @now AND attempts >= max_attempts";
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Claims the most urgent due task in ONE statement; run inside BEGIN IMMEDIATE, two
    /// processes can never claim the same attempt.
    /// </summary>
    public static async Task<TaskInfo?> ClaimAsync(SqliteSession session, IReadOnlyList<string> storedQueues, string worker, string token, long now, long expires, CancellationToken cancellationToken)
    {
        using var command = session.Command(string.Empty)
            .With("@now", now).With("@token", token).With("@expires", expires).With("@worker", worker);
        command.CommandText =
            "UPDATE tasks SET status = 'running', lease_token = @token, lease_expires = @expires, worker = @worker, " +
            "attempts = attempts + 1, started_at = @now " +
            $"WHERE id = (SELECT id FROM tasks WHERE queue IN ({AddQueues(command, storedQueues)}) AND {Claimable} " +
            "ORDER BY priority, run_at, rowid LIMIT 1) " +
            $"RETURNING {Columns}";
        return await ReadSingleAsync(command, now, cancellationToken);
    }

    public static async Task<bool> HasClaimableAsync(SqliteSession session, IReadOnlyList<string> storedQueues, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(string.Empty).With("@now", now);
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM tasks WHERE queue IN ({AddQueues(command, storedQueues)}) AND {Claimable})";
        return await command.ExecuteScalarAsync(cancellationToken) is long found && found != 0;
    }

    public static async Task<bool> RenewAsync(SqliteSession session, string id, string token, long expires, CancellationToken cancellationToken)
    {
        using var command = session.Command("UPDATE tasks SET lease_expires = @expires WHERE id = @id AND lease_token = @token AND status = 'running'")
            .With("@id", id).With("@token", token).With("@expires", expires);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static async Task<bool> CompleteAsync(SqliteSession session, string id, string token, string? result, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            """
            UPDATE tasks SET status = 'succeeded', result = @result, error = NULL, finished_at = @now, lease_token = NULL, lease_expires = NULL
            WHERE id = @id AND lease_token = @token AND status = 'running'
            """)
            .With("@id", id).With("@token", token).With("@result", result).With("@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The attempt counters of the lease holder's task, or null when the lease is not held.</summary>
    public static async Task<(int Attempts, int MaxAttempts)?> FindLeasedAsync(SqliteSession session, string id, string token, CancellationToken cancellationToken)
    {
        using var command = session.Command("SELECT attempts, max_attempts FROM tasks WHERE id = @id AND lease_token = @token AND status = 'running'")
            .With("@id", id).With("@token", token);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), reader.GetInt32(1)) : null;
    }

    public static async Task RescheduleAsync(SqliteSession session, string id, string error, long runAt, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            "UPDATE tasks SET status = 'scheduled', run_at = @runAt, error = @error, lease_token = NULL, lease_expires = NULL WHERE id = @id")
            .With("@id", id).With("@error", error).With("@runAt", runAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues a leased task again at once and gives back the attempt it used.</summary>
    public static async Task ReleaseAsync(SqliteSession session, string id, string reason, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            "UPDATE tasks SET status = 'queued', attempts = MAX(attempts - 1, 0), run_at = @now, error = @reason, lease_token = NULL, lease_expires = NULL WHERE id = @id")
            .With("@id", id).With("@reason", reason).With("@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task MarkFailedAsync(SqliteSession session, string id, string error, long now, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            "UPDATE tasks SET status = 'failed', error = @error, finished_at = @now, lease_token = NULL, lease_expires = NULL WHERE id = @id")
            .With("@id", id).With("@error", error).With("@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes this app's tasks that succeeded before <paramref name="succeededCutoff"/> or failed or were canceled before <paramref name="finishedCutoff"/>.</summary>
    public static async Task<int> PurgeFinishedAsync(SqliteSession session, string app, long succeededCutoff, long finishedCutoff, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            "DELETE FROM tasks WHERE app = @app AND ((status = 'succeeded' AND finished_at < @succeeded) OR (status IN ('failed', 'canceled') AND finished_at < @finished))")
            .With("@app", app).With("@succeeded", succeededCutoff).With("@finished", finishedCutoff);
        var purged = await command.ExecuteNonQueryAsync(cancellationToken);

        // Links whose child no longer waits are settled; dropping them keeps the settle sweep small.
        using var links = session.Command("DELETE FROM task_dependents WHERE child_id NOT IN (SELECT id FROM tasks WHERE status = 'deferred')");
        await links.ExecuteNonQueryAsync(cancellationToken);
        using var traces = session.Command("DELETE FROM task_traces WHERE task_id NOT IN (SELECT id FROM tasks)");
        await traces.ExecuteNonQueryAsync(cancellationToken);
        return purged;
    }

    // Parameter names only (@q0, @q1, …) go into the SQL text; the queue names are bound values.
    private static string AddQueues(SqliteCommand command, IReadOnlyList<string> storedQueues)
    {
        var names = new StringBuilder();
        for (var i = 0; i < storedQueues.Count; i++)
        {
            var name = "@q" + i.ToString(CultureInfo.InvariantCulture);
            command.With(name, storedQueues[i]);
            names.Append(i == 0 ? name : ", " + name);
        }

        return names.ToString();
    }

    private static async Task<TaskInfo?> ReadSingleAsync(SqliteCommand command, long now, CancellationToken cancellationToken)
    {
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, now) : null;
    }

    private static TaskInfo Read(SqliteDataReader reader, long now)
    {
        var storedQueue = reader.GetString(2);
        var runAt = reader.GetInt64(11);
        return new TaskInfo(
            Id: reader.GetString(0),
            Name: reader.GetString(1),
            Queue: storedQueue[(storedQueue.IndexOf(':', StringComparison.Ordinal) + 1)..],
            Priority: (TaskPriority)reader.GetInt32(3),
            Status: TaskStates.ToStatus(reader.GetString(4), runAt, now),
            Attempts: reader.GetInt32(5),
            MaxAttempts: reader.GetInt32(6),
            PayloadJson: reader.GetString(7),
            ResultJson: reader.GetNullableString(8),
            Error: reader.GetNullableString(9),
            CreatedAt: reader.GetUnixTime(10),
            RunAt: DateTimeOffset.FromUnixTimeMilliseconds(runAt),
            StartedAt: reader.GetNullableUnixTime(12),
            FinishedAt: reader.GetNullableUnixTime(13),
            Worker: reader.GetNullableString(14),
            Timeout: reader.GetNullableInt64(15) is { } ms ? TimeSpan.FromMilliseconds(ms) : null)
        {
            TraceParent = reader.GetNullableString(16),
        };
    }
}
