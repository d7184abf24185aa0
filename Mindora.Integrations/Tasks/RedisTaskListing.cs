using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Lists tasks by status from the per-queue sorted sets (queued, scheduled, running) or the
/// per-status sets of finished tasks. A read, not a state change, so plain commands suffice: the
/// hashes are fetched together on the pipelined connection and filtered by their own status.
/// </summary>
internal sealed class RedisTaskListing(RedisClient client, string prefix, long now)
{
    public async Task<IReadOnlyList<TaskInfo>> ListAsync(MindoraTaskStatus status, int limit, CancellationToken cancellationToken)
    {
        if (status is MindoraTaskStatus.Succeeded or MindoraTaskStatus.Failed or MindoraTaskStatus.Canceled)
        {
            var key = prefix + "d:" + TaskStates.ToStored(status);
            var recent = await client.ExecuteAsync(RedisRequest.Create("ZREVRANGE", key, 0, limit - 1), cancellationToken);
            var finished = await ReadAsync(Ids(recent), cancellationToken);
            return finished.Where(t => t.Task.Status == status).Select(t => t.Task).ToList();
        }

        if (status == MindoraTaskStatus.Deferred)
        {
            var waiting = await client.ExecuteAsync(RedisRequest.Create("ZRANGE", prefix + "deferred", 0, limit - 1), cancellationToken);
            return (await ReadAsync(Ids(waiting), cancellationToken)).Where(t => t.Task.Status == status).Select(t => t.Task).ToList();
        }

        var queues = Ids(await client.ExecuteAsync(RedisRequest.Create("SMEMBERS", prefix + "queues"), cancellationToken));
        var candidates = await Task.WhenAll(queues.Select(q => CandidatesAsync(q, status, limit, cancellationToken)));
        var tasks = (await ReadAsync(candidates.SelectMany(c => c).Distinct(StringComparer.Ordinal).ToList(), cancellationToken))
            .Where(t => t.Task.Status == status);
        var ordered = status switch
        {
            MindoraTaskStatus.Queued => tasks.OrderBy(t => t.Task.Priority).ThenBy(t => t.Task.RunAt).ThenBy(t => t.Member, StringComparer.Ordinal),
            MindoraTaskStatus.Scheduled => tasks.OrderBy(t => t.Task.RunAt).ThenBy(t => t.Task.Priority).ThenBy(t => t.Task.CreatedAt),
            _ => tasks.OrderByDescending(t => t.Task.StartedAt).ThenBy(t => t.Task.Id, StringComparer.Ordinal),
        };
        return ordered.Take(limit).Select(t => t.Task).ToList();
    }

    private async Task<IEnumerable<string>> CandidatesAsync(string queue, MindoraTaskStatus status, int limit, CancellationToken cancellationToken)
    {
        switch (status)
        {
            case MindoraTaskStatus.Queued:
                // Due tasks, and scheduled ones whose time has come but no claim has promoted yet.
                var due = await client.ExecuteAsync(RedisRequest.Create("ZRANGE", prefix + "q:" + queue, 0, limit - 1), cancellationToken);
                var ripe = await client.ExecuteAsync(RedisRequest.Create("ZRANGEBYSCORE", prefix + "s:" + queue, "-inf", now, "LIMIT", 0, limit), cancellationToken);
                return Ids(due).Select(m => m.Length > 16 ? m[16..] : m).Concat(Ids(ripe));
            case MindoraTaskStatus.Scheduled:
                return Ids(await client.ExecuteAsync(RedisRequest.Create("ZRANGEBYSCORE", prefix + "s:" + queue, "(" + now, "+inf", "LIMIT", 0, limit), cancellationToken));
            default:
                return Ids(await client.ExecuteAsync(RedisRequest.Create("ZRANGE", prefix + "r:" + queue, 0, 999), cancellationToken));
        }
    }

    private async Task<List<(TaskInfo Task, string Member)>> ReadAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var replies = await Task.WhenAll(ids.Select(id => client.ExecuteAsync(RedisRequest.Create("HGETALL", prefix + "t:" + id), cancellationToken)));
        var tasks = new List<(TaskInfo, string)>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (RedisTaskFields.Parse(replies[i]) is { } fields && !fields.ExpiredAt(now))
            {
                tasks.Add((fields.ToTask(ids[i], now), fields.Member));
            }
        }

        return tasks;
    }

    private static List<string> Ids(RespValue reply) => reply.Items.Select(i => i.AsString()!).ToList();
}
