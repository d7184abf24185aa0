namespace Mindora.Integrations.Cache;

/// <summary>Settings of the Cache capability, bound from the configuration section <c>Mindora:Cache</c>.</summary>
public sealed class MindoraCacheOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Cache";

    /// <summary>Which Redis database (or embedded partition) holds what (<c>Mindora:Cache:Databases:…</c>).</summary>
    public MindoraCacheDatabases Databases { get; set; } = new();

    /// <summary>The time to live of a value set without one. Default 1 hour.</summary>
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest key, lock or channel name, in UTF-8 bytes (before the app prefix). Default 1024.</summary>
    public int MaxKeyBytes { get; set; } = 1024;

    /// <summary>The largest serialized value or message, in bytes. Default 1 MiB.</summary>
    public int MaxValueBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long one caller of <c>GetOrCreateAsync</c> may compute a value before others stop
    /// waiting for it and compute it themselves (the expiry of its distributed lock). Default 30 s.
    /// </summary>
    public TimeSpan GetOrCreateLockExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause between two looks while waiting for a lock or a value being computed elsewhere. Default 100 ms.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Embedded only: how often a process looks for messages published by other processes. Default 50 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Embedded only: how often expired entries and delivered messages are deleted. Default 1 minute.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Embedded only: how long a published message is kept for slow subscribers. Default 1 minute.</summary>
    public TimeSpan MessageRetention { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The database split of the seed: 0 system cache, 1 sessions, 2 config, 3 queues. The cache uses
/// <see cref="Cache"/> (values, locks) and <see cref="Sessions"/> (<c>IDistributedCache</c>);
/// <see cref="Config"/> and <see cref="Queues"/> are reserved for the capabilities that keep
/// configuration and queues in Redis. They override the connection string's <c>defaultDatabase</c>.
/// </summary>
public sealed class MindoraCacheDatabases
{
    /// <summary>Typed cache values and locks. Default 0.</summary>
    public int Cache { get; set; }

    /// <summary>The <c>IDistributedCache</c> entries (ASP.NET Core sessions). Default 1.</summary>
    public int Sessions { get; set; } = 1;

    /// <summary>Reserved for configuration. Default 2.</summary>
    public int Config { get; set; } = 2;

    /// <summary>Reserved for queues. Default 3.</summary>
    public int Queues { get; set; } = 3;
}
