using System.Collections.Concurrent;
using Mindora.Integrations.Cache;

namespace Mindora.Integrations.Messaging;

/// <summary>Remembers which messages were handled, so a redelivered or re-sent message is handled once.</summary>
public interface IMessageDeduplicator
{
    /// <summary>True when <paramref name="key"/> was remembered and has not expired.</summary>
    Task<bool> SeenAsync(string key, CancellationToken cancellationToken);

    /// <summary>Remembers <paramref name="key"/> (after its handler succeeded).</summary>
    Task RememberAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// Makes handlers idempotent by message id: delivery is at least once (a connection lost between a
/// handler's success and its ack, or a publish retried after a lost confirm, repeats a message), so
/// a handler with side effects should be wrapped. The key is <c>{queue}:{message id}</c>; the id is
/// kept across retries and replays. A message that arrives twice at the very same moment can still
/// run twice — pair it with a unique constraint where that matters.
/// </summary>
public static class IdempotentHandler
{
    /// <summary>Wraps <paramref name="handler"/> so a message id seen before is acknowledged without running it again.</summary>
    public static Func<MessageContext<T>, CancellationToken, Task> Create<T>(IMessageDeduplicator deduplicator, Func<MessageContext<T>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(deduplicator);
        ArgumentNullException.ThrowIfNull(handler);
        return async (message, cancellationToken) =>
        {
            var key = $"{message.Queue}:{message.MessageId}";
            if (await deduplicator.SeenAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await handler(message, cancellationToken).ConfigureAwait(false);
            await deduplicator.RememberAsync(key, cancellationToken).ConfigureAwait(false);
        };
    }
}

/// <summary>Handled message ids in the app's cache (Redis or embedded): shared by every process of the app.</summary>
/// <param name="cache">The app's cache.</param>
/// <param name="retention">How long an id is remembered; default 1 day.</param>
public sealed class CacheMessageDeduplicator(IMindoraCache cache, TimeSpan? retention = null) : IMessageDeduplicator
{
    private readonly TimeSpan _retention = retention ?? TimeSpan.FromDays(1);

    /// <inheritdoc />
    public async Task<bool> SeenAsync(string key, CancellationToken cancellationToken) =>
        await cache.GetAsync<bool>("handled:" + key, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task RememberAsync(string key, CancellationToken cancellationToken) =>
        cache.SetAsync("handled:" + key, true, _retention, cancellationToken);
}

/// <summary>Handled message ids in this process's memory (for a single consumer process, or tests).</summary>
/// <param name="retention">How long an id is remembered; default 1 hour.</param>
/// <param name="time">The clock; default the system clock.</param>
public sealed class MemoryMessageDeduplicator(TimeSpan? retention = null, TimeProvider? time = null) : IMessageDeduplicator
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly TimeSpan _retention = retention ?? TimeSpan.FromHours(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public Task<bool> SeenAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_seen.TryGetValue(key, out var until) && until > _time.GetUtcNow());

    /// <inheritdoc />
    public Task RememberAsync(string key, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _seen[key] = now + _retention;

        // Forget expired ids now and then, so memory stays bounded by the retention.
        if (_seen.Count % 1024 == 0)
        {
            foreach (var (seen, until) in _seen)
            {
                if (until <= now)
                {
                    _seen.TryRemove(seen, out _);
                }
            }
        }

        return Task.CompletedTask;
    }
}
