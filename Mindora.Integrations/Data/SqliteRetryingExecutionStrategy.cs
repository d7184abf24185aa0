using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mindora.Integrations.Data;

/// <summary>
/// EF Core's retrying strategy for the embedded provider: a file another process holds locked
/// beyond the busy timeout (SQLITE_BUSY, SQLITE_LOCKED) is a transient fault, so the whole
/// unit of work runs again after a backoff.
/// </summary>
internal sealed class SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : ExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay)
{
    private const int Busy = 5;
    private const int Locked = 6;

    protected override bool ShouldRetryOn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: Busy or Locked })
            {
                return true;
            }
        }

        return false;
    }
}
