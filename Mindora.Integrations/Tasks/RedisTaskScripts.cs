using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tasks;

/// <summary>
/// Every state change of a task on Redis is one of these Lua scripts, so it is atomic: no other
/// client sees a task half-moved between its sorted sets. Each script gets the same first
/// arguments — ARGV[1] the app's key prefix (<c>{app}:tasks:</c>), ARGV[2] now (Unix ms, from the
/// caller's clock), ARGV[3] and ARGV[4] how long succeeded and other finished tasks are kept (ms) —
/// and builds its keys from the prefix, so an app's ACL user (<c>~{app}:*</c>) can run them.
/// The layout is in docs/tasks.md.
/// </summary>
internal static class RedisTaskScripts
{
    // Helpers shared by the scripts. Due tasks sit in q:{queue} scored priority·1e13 + run time,
    // their member "{15-digit sequence}:{id}" so equal scores keep enqueue order.
    private const string Common =
        """
        local p = ARGV[1]
        local now = tonumber(ARGV[2])
        local function tkey(id) return p .. 't:' .. id end
        local function num(x) return string.format('%.0f', x) end
        local function make_due(id)
          local k = tkey(id)
          local f = redis.call('HMGET', k, 'q', 'p', 'ra', 'm')
          local m = f[4]
          if not m then
            m = string.format('%015d', redis.call('INCR', p .. 'seq')) .. ':' .. id
            redis.call('HSET', k, 'm', m)
          end
          redis.call('HSET', k, 'st', 'queued')
          redis.call('HDEL', k, 'tk', 'le')
          redis.call('ZADD', p .. 'q:' .. f[1], num(tonumber(f[2]) * 1e13 + tonumber(f[3])), m)
          return f[1]
        end
        local finish
        -- Deferred tasks waiting in w:{id} follow their parent: queued after a success,
        -- canceled (and their own dependents with them) after a failure or cancellation.
        local function settle(id, status)
          local w = p .. 'w:' .. id
          local kids = redis.call('SMEMBERS', w)
          if #kids == 0 then return end
          redis.call('DEL', w)
          for _, kid in ipairs(kids) do
            if redis.call('HGET', tkey(kid), 'st') == 'deferred' then
              redis.call('ZREM', p .. 'deferred', kid)
              if status == 'succeeded' then
                local f = redis.call('HMGET', tkey(kid), 'q', 'ra')
                if tonumber(f[2]) > now then
                  redis.call('HSET', tkey(kid), 'st', 'scheduled')
                  redis.call('ZADD', p .. 's:' .. f[1], f[2], kid)
                else
                  redis.call('PUBLISH', p .. 'work', make_due(kid))
                end
              else
                redis.call('HSET', tkey(kid), 'e', 'The task it runs after failed or was canceled.')
                finish(kid, 'canceled')
              end
            end
          end
        end
        finish = function(id, status)
          local k = tkey(id)
          local keep = tonumber(status == 'succeeded' and ARGV[3] or ARGV[4])
          redis.call('HSET', k, 'st', status, 'fa', ARGV[2], 'x', num(now + keep))
          redis.call('HDEL', k, 'tk', 'le')
          redis.call('PEXPIRE', k, keep)
          local idem = redis.call('HGET', k, 'k')
          if idem then redis.call('PEXPIRE', p .. 'i:' .. idem, keep) end
          local d = p .. 'd:' .. status
          redis.call('ZADD', d, ARGV[2], id)
          redis.call('ZREMRANGEBYSCORE', d, '-inf', '(' .. num(now - keep))
          settle(id, status)
        end
        -- Ends the attempt of the lease holder; 'lt' remembers its token, so a caller repeating
        -- a call whose reply was lost learns the attempt already ended (see ended). A first
        -- call with an ended lease is still refused.
        local function held(id, token)
          local f = redis.call('HMGET', tkey(id), 'st', 'tk', 'q', 'a', 'ma')
          if f[1] ~= 'running' or f[2] ~= token then return nil end
          redis.call('ZREM', p .. 'r:' .. f[3], id)
          redis.call('HSET', tkey(id), 'lt', token)
          return f
        end
        -- The status after the attempt of this token ended, or nil when it ended otherwise.
        local function ended(id, token)
          local f = redis.call('HMGET', tkey(id), 'st', 'lt')
          if f[2] == token then return f[1] end
          return nil
        end

        """;

    /// <summary>
    /// ARGV[5..]: id, name, queue, priority, max attempts, payload, run at, timeout ms or '',
    /// idempotency key or '', the id to run after or '', the enqueuer's traceparent or ''. Returns {1} when queued or scheduled, {2}
    /// when deferred, {0, id, task hash} for a known idempotency key, {-1} for an unknown parent
    /// and {-2} for a parent that failed or was canceled.
    /// </summary>
    public static readonly RedisScript Enqueue = new(Common +
        """
        local id, queue, runAt, idem, after = ARGV[5], ARGV[7], tonumber(ARGV[11]), ARGV[13], ARGV[14]
        if idem ~= '' then
          local existing = redis.call('GET', p .. 'i:' .. idem)
          if existing then
            local x = redis.call('HGET', tkey(existing), 'x')
            if redis.call('EXISTS', tkey(existing)) == 1 and (not x or tonumber(x) > now) then
              return {0, existing, redis.call('HGETALL', tkey(existing))}
            end
          end
        end
        local deferred = false
        if after ~= '' then
          local parent = redis.call('HMGET', tkey(after), 'st', 'x')
          if not parent[1] or (parent[2] and tonumber(parent[2]) <= now) then return {-1} end
          if parent[1] == 'failed' or parent[1] == 'canceled' then return {-2} end
          deferred = parent[1] ~= 'succeeded'
        end
        if idem ~= '' then redis.call('SET', p .. 'i:' .. idem, id) end
        local k = tkey(id)
        redis.call('HSET', k, 'n', ARGV[6], 'q', queue, 'p', ARGV[8], 'st', 'scheduled', 'a', 0, 'ma', ARGV[9],
          'pl', ARGV[10], 'c', ARGV[2], 'ra', ARGV[11])
        if ARGV[12] ~= '' then redis.call('HSET', k, 'to', ARGV[12]) end
        if idem ~= '' then redis.call('HSET', k, 'k', idem) end
        if ARGV[15] ~= '' then redis.call('HSET', k, 'tp', ARGV[15]) end
        redis.call('SADD', p .. 'queues', queue)
        if deferred then
          redis.call('HSET', k, 'st', 'deferred', 'af', after)
          redis.call('SADD', p .. 'w:' .. after, id)
          redis.call('ZADD', p .. 'deferred', ARGV[2], id)
          return {2}
        end
        if runAt > now then
          redis.call('ZADD', p .. 's:' .. queue, ARGV[11], id)
        else
          make_due(id)
          redis.call('PUBLISH', p .. 'work', queue)
        end
        return {1}
        """);

    /// <summary>
    /// ARGV[5..]: lease token, lease expiry, worker, the error for lost last attempts, queues.
    /// Promotes due scheduled tasks, re-queues tasks whose lease expired (or fails them when no
    /// attempt is left), then claims the most urgent due task of all the queues.
    /// Returns {tasks failed by lost leases} or {that count, claimed id, its hash}.
    /// </summary>
    public static readonly RedisScript Claim = new(Common +
        """
        local failed = 0
        local best_q, best_m, best_s
        for i = 9, #ARGV do
          local qn = ARGV[i]
          local s = p .. 's:' .. qn
          for _, id in ipairs(redis.call('ZRANGEBYSCORE', s, '-inf', ARGV[2], 'LIMIT', 0, 100)) do
            redis.call('ZREM', s, id)
            make_due(id)
          end
          local r = p .. 'r:' .. qn
          for _, id in ipairs(redis.call('ZRANGEBYSCORE', r, '-inf', '(' .. ARGV[2], 'LIMIT', 0, 100)) do
            redis.call('ZREM', r, id)
            local f = redis.call('HMGET', tkey(id), 'a', 'ma')
            if tonumber(f[1]) >= tonumber(f[2]) then
              redis.call('HSET', tkey(id), 'e', ARGV[8])
              finish(id, 'failed')
              failed = failed + 1
            else
              make_due(id)
            end
          end
          local top = redis.call('ZRANGE', p .. 'q:' .. qn, 0, 0, 'WITHSCORES')
          if top[1] then
            local sc = tonumber(top[2])
            if not best_s or sc < best_s or (sc == best_s and top[1] < best_m) then
              best_q, best_m, best_s = qn, top[1], sc
            end
          end
        end
        if not best_m then return {failed} end
        redis.call('ZREM', p .. 'q:' .. best_q, best_m)
        local id = string.sub(best_m, 17)
        local k = tkey(id)
        redis.call('HINCRBY', k, 'a', 1)
        redis.call('HSET', k, 'st', 'running', 'tk', ARGV[5], 'le', ARGV[6], 'w', ARGV[7], 'sa', ARGV[2])
        redis.call('ZADD', p .. 'r:' .. best_q, ARGV[6], id)
        return {failed, id, redis.call('HGETALL', k)}
        """);

    /// <summary>ARGV[5..]: queues. Returns 0 when a task is due now, else the Unix ms of the next scheduled run, lease expiry or recurring run, or -1 when there is none.</summary>
    public static readonly RedisScript Peek = new(Common +
        """
        local next = -1
        local function consider(t) if t and (next < 0 or tonumber(t) < next) then next = tonumber(t) end end
        for i = 5, #ARGV do
          local qn = ARGV[i]
          if redis.call('ZCARD', p .. 'q:' .. qn) > 0 then return 0 end
          consider(redis.call('ZRANGE', p .. 's:' .. qn, 0, 0, 'WITHSCORES')[2])
          consider(redis.call('ZRANGE', p .. 'r:' .. qn, 0, 0, 'WITHSCORES')[2])
        end
        if next >= 0 and next <= now then return 0 end
        -- A recurring schedule is fired by a claim (at most once a second), so only a future due
        -- time is a reason to wake; a past one must not make the caller spin.
        local cron = redis.call('ZRANGE', p .. 'schedules:due', 0, 0, 'WITHSCORES')[2]
        if cron and tonumber(cron) > now then consider(cron) end
        return next
        """);

    /// <summary>ARGV[5..]: id, token, lease expiry. Returns 1 when renewed, 0 when the lease is not held.</summary>
    public static readonly RedisScript Renew = new(Common +
        """
        local k = tkey(ARGV[5])
        local f = redis.call('HMGET', k, 'st', 'tk', 'q')
        if f[1] ~= 'running' or f[2] ~= ARGV[6] then return 0 end
        redis.call('HSET', k, 'le', ARGV[7])
        redis.call('ZADD', p .. 'r:' .. f[3], ARGV[7], ARGV[5])
        return 1
        """);

    /// <summary>ARGV[5..]: id, token, '1' with a result or '0', result, '1' when repeating a call whose reply was lost. Returns 1 when recorded, 0 when the lease is not held.</summary>
    public static readonly RedisScript Complete = new(Common +
        """
        local id = ARGV[5]
        if not held(id, ARGV[6]) then
          if ARGV[9] == '1' and ended(id, ARGV[6]) == 'succeeded' then return 1 end
          return 0
        end
        if ARGV[7] == '1' then redis.call('HSET', tkey(id), 'r', ARGV[8]) end
        redis.call('HDEL', tkey(id), 'e')
        finish(id, 'succeeded')
        return 1
        """);

    /// <summary>ARGV[5..]: id, token, error, '1' to retry, retry delay ms, '1' when repeating. Returns 1 when scheduled again, 0 when failed, -1 when the lease is not held.</summary>
    public static readonly RedisScript Fail = new(Common +
        """
        local id = ARGV[5]
        local f = held(id, ARGV[6])
        if not f then
          local st = ARGV[10] == '1' and ended(id, ARGV[6])
          if st == 'failed' then return 0 end
          if st then return 1 end
          return -1
        end
        local k = tkey(id)
        redis.call('HSET', k, 'e', ARGV[7])
        if ARGV[8] == '1' and tonumber(f[4]) < tonumber(f[5]) then
          local runAt = num(now + tonumber(ARGV[9]))
          redis.call('HSET', k, 'st', 'scheduled', 'ra', runAt)
          redis.call('HDEL', k, 'tk', 'le')
          redis.call('ZADD', p .. 's:' .. f[3], runAt, id)
          return 1
        end
        finish(id, 'failed')
        return 0
        """);

    /// <summary>ARGV[5..]: id, token, reason, '1' when repeating. Queues the task again at once and gives back its attempt. Returns 1, or 0 when the lease is not held.</summary>
    public static readonly RedisScript Release = new(Common +
        """
        local id = ARGV[5]
        local f = held(id, ARGV[6])
        if not f then
          if ARGV[8] == '1' and ended(id, ARGV[6]) then return 1 end
          return 0
        end
        redis.call('HSET', tkey(id), 'a', math.max(tonumber(f[4]) - 1, 0), 'ra', ARGV[2], 'e', ARGV[7])
        redis.call('PUBLISH', p .. 'work', make_due(id))
        return 1
        """);

    /// <summary>ARGV[5]: id. Cancels a queued, scheduled or deferred task (and what runs after it). Returns 1 when canceled, else 0.</summary>
    public static readonly RedisScript Cancel = new(Common +
        """
        local id = ARGV[5]
        local f = redis.call('HMGET', tkey(id), 'st', 'q', 'm', 'x', 'af')
        if not f[1] or (f[4] and tonumber(f[4]) <= now) then return 0 end
        if f[1] == 'queued' then
          redis.call('ZREM', p .. 'q:' .. f[2], f[3])
        elseif f[1] == 'scheduled' then
          redis.call('ZREM', p .. 's:' .. f[2], id)
        elseif f[1] == 'deferred' then
          redis.call('ZREM', p .. 'deferred', id)
          redis.call('SREM', p .. 'w:' .. f[5], id)
        else
          return 0
        end
        finish(id, 'canceled')
        return 1
        """);

    /// <summary>
    /// ARGV[5]: id. Queues a failed or canceled task again at once with its attempts reset and its
    /// retention lifted. Returns 1 when re-queued, 0 when the task is missing or in another status.
    /// </summary>
    public static readonly RedisScript Retry = new(Common +
        """
        local id = ARGV[5]
        local k = tkey(id)
        local f = redis.call('HMGET', k, 'st', 'x', 'k')
        if not f[1] or (f[2] and tonumber(f[2]) <= now) then return 0 end
        if f[1] ~= 'failed' and f[1] ~= 'canceled' then return 0 end
        redis.call('ZREM', p .. 'd:' .. f[1], id)
        redis.call('HSET', k, 'a', 0, 'ra', ARGV[2])
        redis.call('HDEL', k, 'fa', 'x', 'r', 'af')
        redis.call('PERSIST', k)
        if f[3] then redis.call('PERSIST', p .. 'i:' .. f[3]) end
        redis.call('PUBLISH', p .. 'work', make_due(id))
        return 1
        """);

    /// <summary>
    /// No extra arguments. Returns, per queue holding any task that waits or runs, a flat run of
    /// six items: queue, due High, due Default, due Low, scheduled, running. Scheduled tasks whose
    /// time has come count as due at their priority (a claim promotes them).
    /// </summary>
    public static readonly RedisScript Depths = new(Common +
        """
        local out = {}
        for _, qn in ipairs(redis.call('SMEMBERS', p .. 'queues')) do
          local q = p .. 'q:' .. qn
          local due = {}
          for pr = 0, 2 do
            due[pr] = redis.call('ZCOUNT', q, num(pr * 1e13), '(' .. num((pr + 1) * 1e13))
          end
          local s = p .. 's:' .. qn
          for _, id in ipairs(redis.call('ZRANGEBYSCORE', s, '-inf', ARGV[2], 'LIMIT', 0, 10000)) do
            local pr = tonumber(redis.call('HGET', tkey(id), 'p') or 1)
            due[pr] = due[pr] + 1
          end
          local scheduled = redis.call('ZCOUNT', s, '(' .. ARGV[2], '+inf')
          local running = redis.call('ZCARD', p .. 'r:' .. qn)
          if due[0] + due[1] + due[2] + scheduled + running > 0 then
            for _, v in ipairs({qn, due[0], due[1], due[2], scheduled, running}) do out[#out + 1] = v end
          end
        end
        return out
        """);
}
