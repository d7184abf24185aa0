using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Mindora.Integrations.Messaging;

/// <summary>
/// The SQL of the embedded message store. A message is a row of one queue; a consumer claims
/// rows with a lease (so a process that dies mid-handler loses nothing: its lease runs out and the
/// rows are claimed again), and settles each one by deleting it (ack), making it available later
/// (retry) or moving it to the dead-letter queue.
/// </summary>
internal static class EmbeddedMessageRows
{
    public static readonly string[] Schema =
    [
        """
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL,
            message_id TEXT NOT NULL,
            correlation_id TEXT,
            type TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            headers TEXT NOT NULL,
            reply_to TEXT,
            ttl_ms INTEGER,
            expires_at INTEGER,
            attempt INTEGER NOT NULL,
            body BLOB NOT NULL,
            available_at INTEGER NOT NULL,
            lease_owner TEXT,
            lease_until INTEGER)
        """,
        "CREATE INDEX IF NOT EXISTS messages_ready ON messages (queue, available_at, seq)",
        "CREATE INDEX IF NOT EXISTS messages_leases ON messages (lease_owner) WHERE lease_owner IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS bindings (exchange TEXT NOT NULL, queue TEXT NOT NULL, pattern TEXT NOT NULL, PRIMARY KEY (exchange, queue, pattern)) WITHOUT ROWID",

        // Transient subscriptions: a binding lives while its consumer renews it, so a process that dies leaves none behind.
        "CREATE TABLE IF NOT EXISTS transient_bindings (exchange TEXT NOT NULL, queue TEXT NOT NULL, pattern TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (exchange, queue, pattern)) WITHOUT ROWID",
    ];

    public const string Insert = """
        INSERT INTO messages (queue, message_id, correlation_id, type, sent_at, headers, reply_to, ttl_ms, expires_at, attempt, body, available_at)
        VALUES ($queue, $id, $correlation, $type, $sent, $headers, $reply, $ttl, $expires, $attempt, $body, $now)
        """;

    private const string Columns = "seq, message_id, correlation_id, type, sent_at, headers, reply_to, ttl_ms, attempt, body";

    private const string Ready = "queue = $queue AND available_at <= $now AND (lease_until IS NULL OR lease_until < $now) AND (expires_at IS NULL OR expires_at > $now)";

    public const string Claim = $"""
        UPDATE messages SET lease_owner = $owner, lease_until = $until
        WHERE seq IN (SELECT seq FROM messages WHERE {Ready} ORDER BY available_at, seq LIMIT $limit)
        RETURNING {Columns}
        """;

    public const string Peek = $"SELECT {Columns} FROM messages WHERE {Ready} ORDER BY available_at, seq LIMIT $limit";

    public const string Count = $"SELECT count(*) FROM messages WHERE {Ready}";

    public const string Purge = $"DELETE FROM messages WHERE {Ready}";

    public const string Ack = "DELETE FROM messages WHERE seq = $seq AND lease_owner = $owner";

    /// <summary>Retry (same queue, later) or dead-letter/replay (another queue, now): the row takes the new envelope.</summary>
    public const string Requeue = """
        UPDATE messages SET queue = $queue, headers = $headers, attempt = $attempt, available_at = $at, expires_at = $expires, lease_owner = NULL, lease_until = NULL
        WHERE seq = $seq AND (lease_owner = $owner OR ($owner IS NULL AND lease_owner IS NULL))
        """;

    public const string Renew = "UPDATE messages SET lease_until = $until WHERE lease_owner = $owner";

    public const string Release = "UPDATE messages SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $owner";

    public const string DeleteQueue = "DELETE FROM messages WHERE queue = $queue";

    public const string DeleteExpired = "DELETE FROM messages WHERE expires_at <= $now AND lease_owner IS NULL";

    public const string Bind = "INSERT OR IGNORE INTO bindings (exchange, queue, pattern) VALUES ($exchange, $queue, $pattern)";

    public const string Bindings = """
        SELECT queue, pattern FROM bindings WHERE exchange = $exchange
        UNION ALL SELECT queue, pattern FROM transient_bindings WHERE exchange = $exchange AND expires_at > $now
        """;

    public const string BindTransient = "INSERT OR REPLACE INTO transient_bindings (exchange, queue, pattern, expires_at) VALUES ($exchange, $queue, $pattern, $until)";

    public const string RenewTransient = "UPDATE transient_bindings SET expires_at = $until WHERE queue = $queue";

    public const string UnbindTransient = "DELETE FROM transient_bindings WHERE queue = $queue";

    /// <summary>The rows of transient queues whose consumer stopped renewing (the process died), then their bindings.</summary>
    public const string DeleteAbandoned = """
        DELETE FROM messages WHERE queue IN (SELECT queue FROM transient_bindings WHERE expires_at <= $now);
        DELETE FROM transient_bindings WHERE expires_at <= $now
        """;

    /// <summary>Reads the columns of <see cref="Columns"/> into a row.</summary>
    public static StoredMessage Read(SqliteDataReader reader)
    {
        var ttl = reader.GetNullableInt64(7);
        return new StoredMessage(
            reader.GetInt64(0),
            new MessageEnvelope(
                reader.GetString(1),
                reader.GetNullableString(2),
                reader.GetString(3),
                reader.GetUnixTime(4),
                (byte[])reader.GetValue(9),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5)) ?? [],
                reader.GetNullableString(6),
                ttl is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                (int)reader.GetInt64(8)));
    }

    public static string Headers(MessageEnvelope message) => JsonSerializer.Serialize(message.Headers);
}

/// <summary>A row and the message it holds.</summary>
internal sealed record StoredMessage(long Seq, MessageEnvelope Message);
