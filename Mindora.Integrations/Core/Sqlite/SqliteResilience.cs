using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace Mindora.Integrations;

/// <summary>
/// The one retry pipeline for every embedded store. SQLite's busy timeout already waits for
/// locks; this covers the cases it cannot (a lock held past the timeout, WAL recovery after a
/// crashed process), so a transient SQLITE_BUSY/SQLITE_LOCKED reaches callers only under
/// sustained contention.
/// </summary>
internal static class SqliteResilience
{
    private const int Busy = 5;
    private const int Locked = 6;

    /// <summary>Retries a whole unit of work (open, transaction, commit) on busy/locked errors.</summary>
    public static ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SqliteException>(IsTransient),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(50),
        })
        .Build();

    /// <summary>True for SQLITE_BUSY and SQLITE_LOCKED (any extended code).</summary>
    public static bool IsTransient(SqliteException exception) =>
        (exception.SqliteErrorCode & 0xFF) is Busy or Locked;
}
