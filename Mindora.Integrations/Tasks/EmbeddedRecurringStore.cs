namespace Mindora.Integrations.Tasks;

/// <summary>Recurring schedules in <c>tasks.db</c>'s <c>task_schedules</c> table, one row per app and name.</summary>
internal sealed class EmbeddedRecurringStore(SqliteDatabase database, string app) : IRecurringStore
{
    public Task UpsertScheduleAsync(string name, string definitionJson, long nextDueMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command(
                    """
                    INSERT INTO task_schedules (app, name, definition, next_due) VALUES (@app, @name, @definition, @next)
                    ON CONFLICT (app, name) DO UPDATE SET definition = excluded.definition, next_due = excluded.next_due
                    """)
                    .With("@app", app).With("@name", name).With("@definition", definitionJson).With("@next", nextDueMs);
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    public Task<bool> RemoveScheduleAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command("DELETE FROM task_schedules WHERE app = @app AND name = @name").With("@app", app).With("@name", name);
                return await command.ExecuteNonQueryAsync(ct) == 1;
            },
            cancellationToken);

    public Task<IReadOnlyList<(string Name, string DefinitionJson, long DueMs)>> DueSchedulesAsync(long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<(string, string, long)>>(
            async (session, ct) =>
            {
                using var command = session.Command("SELECT name, definition, next_due FROM task_schedules WHERE app = @app AND next_due <= @now ORDER BY next_due LIMIT 20")
                    .With("@app", app).With("@now", nowMs);
                using var reader = await command.ExecuteReaderAsync(ct);
                var due = new List<(string, string, long)>();
                while (await reader.ReadAsync(ct))
                {
                    due.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }

                return due;
            },
            cancellationToken);

    public Task AdvanceScheduleAsync(string name, long dueMs, long nextDueMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (session, ct) =>
            {
                using var command = session.Command("UPDATE task_schedules SET next_due = @next WHERE app = @app AND name = @name AND next_due = @due")
                    .With("@app", app).With("@name", name).With("@due", dueMs).With("@next", nextDueMs);
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
}
