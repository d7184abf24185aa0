using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace Mindora.Integrations;

/// <summary>
/// The one retry pipeline for every embedded store. SQLite's busy timeout already waits for
/// locks; this covers the cases it cannot (a lock held past the timeout, WAL recovery after a
/// crashed process, a new database whose WAL index another process is still creating), so a
/// transient SQLITE_BUSY/SQLITE_LOCKED reaches callers only under sustained contention.
/// </summary>
internal static class SqliteResilience
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int ReadOnlyRecovery = ReadOnly | (1 << 8);
    private const int ReadOnlyCantLock = ReadOnly | (2 << 8);
    private const int ReadOnlyCantInit = ReadOnly | (5 << 8);

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

    /// <summary>
    /// True for SQLITE_BUSY and SQLITE_LOCKED (any extended code), and for the read-only answers
    /// SQLite gives while another connection creates or recovers the WAL index (processes of one
    /// app opening a new database together meet these once).
    /// </summary>
    public static bool IsTransient(SqliteException exception) =>
        (exception.SqliteErrorCode & 0xFF) is Busy or Locked
        || exception.SqliteExtendedErrorCode is ReadOnlyRecovery or ReadOnlyCantLock or ReadOnlyCantInit;

    /// <summary>Whether <paramref name="exception"/> or one of its inner exceptions is a transient SQLite error.</summary>
    public static bool IsTransientAnywhere(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite && IsTransient(sqlite))
            {
                return true;
            }
        }

        return false;
    }
}
