using System.Text.RegularExpressions;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// The names of queues, exchanges, routing keys and binding patterns. They match the broker
/// permissions the AppHost gives each app's user: its own names (<c>{app}_…</c>, <c>{app}.…</c>)
/// and the shared ones, so a name this class accepts is one the broker lets the app use.
/// </summary>
public static partial class MessagingNames
{
    /// <summary>The queues and exchanges every app may use.</summary>
    public static IReadOnlyList<string> Shared { get; } = ["inter_app_communication", "system_events", "ai_processing_tasks", "user_notifications"];

    /// <summary>The rule for queue and exchange names, as people read it.</summary>
    public const string QueueRule = "1 to 180 characters: lowercase letters, digits, '_', '.' and '-', either a shared name (inter_app_communication, system_events, ai_processing_tasks, user_notifications) or the app's own, starting with '{app}_' or '{app}.'";

    /// <summary>The rule for routing keys, as people read it.</summary>
    public const string RoutingKeyRule = "1 to 200 characters: words of letters, digits, '_' and '-' separated by single dots";

    /// <summary>The rule for binding patterns, as people read it.</summary>
    public const string PatternRule = "1 to 200 characters: words of letters, digits, '_' and '-', or '*' (one word) or '#' (any words), separated by single dots";

    /// <summary>
    /// The exchange replies go through: the broker's own topic exchange, which no client can
    /// delete or redeclare (an exchange of Mindora's own would need configure permission, and an
    /// app holding it could redeclare it as a fanout to read every reply). The broker's topic
    /// permissions let every app publish only reply keys to it and bind only its own
    /// (<c>{app}.reply.…</c>).
    /// </summary>
    public const string ReplyExchange = "amq.topic";

    // Suffixes Mindora derives from a queue name; callers cannot use them directly.
    private static readonly string[] ReservedSegments = ["dlq", "retry", "reply", "direct"];

    /// <summary>The app's own queue <c>{app}_{name}</c>.</summary>
    public static string AppQueue(string app, string name)
    {
        MindoraNames.ValidateAppName(app, nameof(app));
        return ValidateQueue(app, $"{app}_{name}", nameof(name));
    }

    /// <summary>Validates a queue or exchange name for <paramref name="app"/>; returns it.</summary>
    /// <exception cref="MindoraInvalidNameException">Malformed.</exception>
    /// <exception cref="MessagingAccessDeniedException">Well formed, but another app's.</exception>
    public static string ValidateQueue(string app, string? name, string parameterName = "queue")
    {
        if (name is null || !QueueRegex().IsMatch(name) || name.StartsWith("amq.", StringComparison.Ordinal))
        {
            throw Invalid("queue", parameterName, name, QueueRule);
        }

        if (Shared.Contains(name))
        {
            return name;
        }

        if (name.Length <= app.Length + 1 || !name.StartsWith(app, StringComparison.Ordinal) || name[app.Length] is not ('_' or '.'))
        {
            throw new MessagingAccessDeniedException($"Queue or exchange '{name}' is not app '{app}''s: allowed are the shared names ({string.Join(", ", Shared)}) and names starting with '{app}_' or '{app}.'.");
        }

        var firstSegment = name[(app.Length + 1)..].Split('.')[0];
        if (name[app.Length] == '.' && ReservedSegments.Contains(firstSegment))
        {
            throw Invalid("queue", parameterName, name, $"{QueueRule}; '{app}.dlq.', '{app}.retry.', '{app}.reply.' and '{app}.direct' are reserved for Mindora");
        }

        return name;
    }

    /// <summary>Validates a routing key (no wildcards); returns it.</summary>
    public static string ValidateRoutingKey(string? key, string parameterName = "routingKey") =>
        key is not null && key.Length <= 200 && RoutingKeyRegex().IsMatch(key) ? key : throw Invalid("routing key", parameterName, key, RoutingKeyRule);

    /// <summary>Validates a binding pattern (<c>*</c> and <c>#</c> allowed as whole words); returns it.</summary>
    public static string ValidatePattern(string? pattern, string parameterName = "pattern") =>
        pattern is not null && pattern.Length <= 200 && PatternRegex().IsMatch(pattern) ? pattern : throw Invalid("binding pattern", parameterName, pattern, PatternRule);

    /// <summary>The durable queue of a subscription.</summary>
    internal static string SubscriptionQueue(string app, string exchange, string subscription) => $"{app}.{exchange}.{subscription}";

    /// <summary>Where a queue's failed messages go (the app's own even for a shared queue).</summary>
    internal static string DeadLetterQueue(string app, string queue) => $"{app}.dlq.{queue}";

    /// <summary>
    /// The app's direct exchange: every send to a queue goes through it (each queue bound by its
    /// own name), because no app may write to the default exchange, which reaches every queue.
    /// </summary>
    internal static string DirectExchange(string app) => $"{app}.direct";

    /// <summary>A private reply queue of one requesting instance, also its binding key on <see cref="ReplyExchange"/>.</summary>
    internal static string ReplyQueue(string app) => $"{app}.reply.{Guid.NewGuid():N}";

    /// <summary>Whether a request's reply-to has the shape of a reply queue (anything else is answered nowhere).</summary>
    internal static bool IsReplyQueue(string name) => ReplyQueueRegex().IsMatch(name);

    /// <summary>The prefix of a queue's delayed-retry queues.</summary>
    internal static string RetryQueue(string app, string queue) => $"{app}.retry.{queue}";

    private static MindoraInvalidNameException Invalid(string kind, string parameterName, string? value, string rule) =>
        MindoraNames.Invalid(kind, parameterName, value ?? "(null)", rule);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]{0,179}\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoutingKeyRegex();

    // The same shape as the broker's topic permission for publishing to the reply exchange.
    [GeneratedRegex(@"^[a-z0-9-]+\.reply\.[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyQueueRegex();

    [GeneratedRegex(@"^(?:[A-Za-z0-9_-]+|\*|#)(?:\.(?:[A-Za-z0-9_-]+|\*|#))*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PatternRegex();
}
