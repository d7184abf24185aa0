using System.Globalization;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// A task's hash <c>{app}:tasks:t:{id}</c>: short field names (n name, q queue, p priority,
/// st status, a attempts, ma max attempts, pl payload, r result, e error, c created, ra run at,
/// sa started, fa finished, w worker, to timeout ms, tk lease token, le lease expiry, lt token of the
/// latest ended attempt, k idempotency
/// key, tp the enqueuer's traceparent, m member in the due set, x logical expiry); times are Unix milliseconds.
/// </summary>
internal sealed class RedisTaskFields
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    private RedisTaskFields()
    {
    }

    /// <summary>The member the task has (or had) in its queue's due set; it sorts by enqueue order.</summary>
    public string Member => _fields.GetValueOrDefault("m") ?? string.Empty;

    /// <summary>Reads an <c>HGETALL</c> reply (RESP2 flat array or RESP3 map, both flat here); null for a missing task.</summary>
    public static RedisTaskFields? Parse(RespValue reply)
    {
        var items = reply.Items;
        if (items.Count == 0)
        {
            return null;
        }

        var fields = new RedisTaskFields();
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            fields._fields[items[i].AsString()!] = items[i + 1].AsString() ?? string.Empty;
        }

        return fields._fields.ContainsKey("st") ? fields : null;
    }

    /// <summary>The task in an <c>HGETALL</c> reply; null when it is missing or past its retention.</summary>
    public static TaskInfo? Read(string id, RespValue reply, long now) =>
        Parse(reply) is { } fields && !fields.ExpiredAt(now) ? fields.ToTask(id, now) : null;

    /// <summary>True when the task finished longer ago than its retention (Redis drops the hash soon after).</summary>
    public bool ExpiredAt(long now) => _fields.TryGetValue("x", out var x) && Long(x) <= now;

    public TaskInfo ToTask(string id, long now)
    {
        var runAt = Long(Required("ra"));
        return new TaskInfo(
            Id: id,
            Name: Required("n"),
            Queue: Required("q"),
            Priority: (TaskPriority)(int)Long(Required("p")),
            Status: TaskStates.ToStatus(Required("st"), runAt, now),
            Attempts: (int)Long(Required("a")),
            MaxAttempts: (int)Long(Required("ma")),
            PayloadJson: Required("pl"),
            ResultJson: _fields.GetValueOrDefault("r"),
            Error: _fields.GetValueOrDefault("e"),
            CreatedAt: Time(Required("c")),
            RunAt: DateTimeOffset.FromUnixTimeMilliseconds(runAt),
            StartedAt: _fields.TryGetValue("sa", out var started) ? Time(started) : null,
            FinishedAt: _fields.TryGetValue("fa", out var finished) ? Time(finished) : null,
            Worker: _fields.GetValueOrDefault("w"),
            Timeout: _fields.TryGetValue("to", out var timeout) ? TimeSpan.FromMilliseconds(Long(timeout)) : null)
        {
            TraceParent = _fields.GetValueOrDefault("tp"),
        };
    }

    private string Required(string field) => _fields.TryGetValue(field, out var value)
        ? value
        : throw new MindoraIntegrityException($"A task hash in Redis lacks its '{field}' field; it was not written by Mindora.");

    private static long Long(string value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
        ? number
        : throw new MindoraIntegrityException($"A task hash in Redis holds '{value}' where a number belongs.");

    private static DateTimeOffset Time(string value) => DateTimeOffset.FromUnixTimeMilliseconds(Long(value));
}
