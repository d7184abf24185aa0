namespace Mindora.Integrations.Data;

/// <summary>Settings of the Data capability, bound from the configuration section <c>Mindora:Data</c>.</summary>
public sealed class MindoraDataOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mindora:Data";

    /// <summary>The most connections the app keeps open to PostgreSQL (Npgsql's pool). Default 50.</summary>
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>The connections the pool keeps open even when idle. Default 0.</summary>
    public int MinPoolSize { get; set; }

    /// <summary>How long one command may run before it is cancelled. Default 30 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a unit of work is retried after a transient fault (a dropped connection, a busy
    /// SQLite file). Default 3; 0 turns retries off, which also allows plain user transactions.
    /// </summary>
    public int MaxRetryCount { get; set; } = 3;

    /// <summary>The longest delay between two retries. Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <c>MigrateMindoraDbAsync</c> applies pending migrations. Default false.</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>The assembly that holds the migrations, when it is not the context's own.</summary>
    public string? MigrationsAssembly { get; set; }

    /// <summary>Throws <see cref="MindoraConfigurationException"/> when a value is out of range.</summary>
    internal void Validate()
    {
        if (MaxPoolSize < 1 || MinPoolSize < 0 || MinPoolSize > MaxPoolSize)
        {
            throw new MindoraConfigurationException($"{SectionName}: MaxPoolSize must be at least 1 and MinPoolSize between 0 and MaxPoolSize (got {MinPoolSize}..{MaxPoolSize}).");
        }

        if (CommandTimeout <= TimeSpan.Zero || CommandTimeout > TimeSpan.FromDays(1))
        {
            throw new MindoraConfigurationException($"{SectionName}: CommandTimeout must be positive and at most one day (got {CommandTimeout}).");
        }

        if (MaxRetryCount < 0 || MaxRetryCount > 100 || MaxRetryDelay < TimeSpan.Zero)
        {
            throw new MindoraConfigurationException($"{SectionName}: MaxRetryCount must be 0 to 100 and MaxRetryDelay not negative.");
        }
    }
}
