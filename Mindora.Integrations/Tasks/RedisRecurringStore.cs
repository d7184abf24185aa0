using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tasks;

/// <summary>Recurring schedules on Redis: definitions in the hash <c>{app}:tasks:schedules</c>, next due times in the sorted set <c>{app}:tasks:schedules:due</c>.</summary>
internal sealed class RedisRecurringStore(RedisClient client, string prefix) : IRecurringStore
{
    private static readonly RedisScript Upsert = new(
        "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1]) return 1");

    private static readonly RedisScript Remove = new(
        "redis.call('ZREM', KEYS[2], ARGV[1]) return redis.call('HDEL', KEYS[1], ARGV[1])");

    // Compare-and-set: only the process that still sees the old due time moves the schedule.
    private static readonly RedisScript Advance = new(
        "if redis.call('ZSCORE', KEYS[2], ARGV[1]) == ARGV[2] then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1]) return 1 end return 0");

    // Flat {name, definition, due ms, …}: the same shape under RESP2 and RESP3.
    private static readonly RedisScript DueScript = new(
        """
        local out = {}
        local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, 20)
        for i = 1, #due, 2 do
          local definition = redis.call('HGET', KEYS[1], due[i])
          if definition then
            out[#out + 1] = due[i]
            out[#out + 1] = definition
            out[#out + 1] = due[i + 1]
          end
        end
        return out
        """);

    private string Definitions => prefix + "schedules";

    private string Due => prefix + "schedules:due";

    public Task UpsertScheduleAsync(string name, string definitionJson, long nextDueMs, CancellationToken cancellationToken) =>
        client.EvaluateAsync(client.Settings.DefaultDatabase, Upsert, [Definitions, Due], [name, definitionJson, nextDueMs], cancellationToken);

    public async Task<bool> RemoveScheduleAsync(string name, CancellationToken cancellationToken) =>
        (await client.EvaluateAsync(client.Settings.DefaultDatabase, Remove, [Definitions, Due], [name], cancellationToken)).AsInteger() == 1;

    public async Task<IReadOnlyList<(string Name, string DefinitionJson, long DueMs)>> DueSchedulesAsync(long nowMs, CancellationToken cancellationToken)
    {
        var reply = await client.EvaluateAsync(client.Settings.DefaultDatabase, DueScript, [Definitions, Due], [nowMs], cancellationToken);
        var due = new List<(string, string, long)>();
        for (var i = 0; i + 2 < reply.Items.Count; i += 3)
        {
            due.Add((reply.Items[i].AsString()!, reply.Items[i + 1].AsString()!, reply.Items[i + 2].AsInteger()));
        }

        return due;
    }

    public Task AdvanceScheduleAsync(string name, long dueMs, long nextDueMs, CancellationToken cancellationToken) =>
        client.EvaluateAsync(client.Settings.DefaultDatabase, Advance, [Definitions, Due], [name, dueMs, nextDueMs], cancellationToken);
}
