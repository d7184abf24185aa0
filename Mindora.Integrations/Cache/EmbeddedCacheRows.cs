using System.Text;

namespace Mindora.Integrations.Cache;

/// <summary>
/// The SQL of the embedded cache (<c>cache.db</c>). Keys are stored as UTF-8 BLOBs, so a prefix is
/// an exact binary range on the primary key. A row whose <c>expires_at</c> (Unix ms) has passed
/// counts as absent everywhere, as in Redis, until the cleanup deletes it. Messages get ids that
/// are never reused (AUTOINCREMENT), so a reader's "after id N" stays right across deletions.
/// </summary>
internal static class EmbeddedCacheRows
{
    public static readonly IReadOnlyList<string> Schema =
    [
        "CREATE TABLE IF NOT EXISTS cache_entries (db INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, expires_at INTEGER, PRIMARY KEY (db, key)) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS cache_entries_expiry ON cache_entries (expires_at) WHERE expires_at IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS cache_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, channel BLOB NOT NULL, payload BLOB NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS cache_messages_created ON cache_messages (created_at)",
    ];

    private const string Live = "(expires_at IS NULL OR expires_at > $now)";

    public const string Get = $"SELECT value FROM cache_entries WHERE db = $db AND key = $key AND {Live}";

    public const string Set =
        "INSERT INTO cache_entries (db, key, value, expires_at) VALUES ($db, $key, $value, $expires) " +
        "ON CONFLICT (db, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";

    public const string Remove = $"DELETE FROM cache_entries WHERE db = $db AND key = $key AND {Live}";

    public const string RemoveRange = $"DELETE FROM cache_entries WHERE db = $db AND key >= $from AND key < $to AND {Live}";

    public const string Expire = $"UPDATE cache_entries SET expires_at = $expires WHERE db = $db AND key = $key AND {Live}";

    // Inserts, or takes over a row whose expiry has passed; a live holder makes it change nothing.
    public const string TryLock =
        "INSERT INTO cache_entries (db, key, value, expires_at) VALUES ($db, $key, $value, $expires) " +
        "ON CONFLICT (db, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at " +
        "WHERE cache_entries.expires_at IS NOT NULL AND cache_entries.expires_at <= $now";

    public const string RenewLock = "UPDATE cache_entries SET expires_at = $expires WHERE db = $db AND key = $key AND value = $value AND expires_at > $now";

    public const string ReleaseLock = "DELETE FROM cache_entries WHERE db = $db AND key = $key AND value = $value AND expires_at > $now";

    public const string Publish = "INSERT INTO cache_messages (channel, payload, created_at) VALUES ($channel, $payload, $now)";

    public const string LastMessageId = "SELECT seq FROM sqlite_sequence WHERE name = 'cache_messages'";

    public const string MessagesAfter = "SELECT id, channel, payload FROM cache_messages WHERE id > $after ORDER BY id LIMIT $limit";

    public const string DeleteExpired = "DELETE FROM cache_entries WHERE (db, key) IN (SELECT db, key FROM cache_entries WHERE expires_at <= $now LIMIT 5000)";

    public const string DeleteOldMessages = "DELETE FROM cache_messages WHERE created_at < $before";

    public static byte[] Key(string key) => Encoding.UTF8.GetBytes(key);

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>: its last byte plus one (UTF-8 never has 0xFF).</summary>
    public static byte[] After(byte[] prefix)
    {
        var after = (byte[])prefix.Clone();
        after[^1]++;
        return after;
    }
}
