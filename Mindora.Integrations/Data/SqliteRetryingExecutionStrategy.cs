using Microsoft.EntityFrameworkCore.Storage;

namespace Mindora.Integrations.Data;

/// <summary>
/// EF Core's retrying strategy for the embedded provider: a file another process holds locked
/// beyond the busy timeout, or a new database whose WAL index another process is still
/// creating (see <see cref="SqliteResilience.IsTransient"/>), is a transient fault, so the whole
/// unit of work runs again after a backoff.
/// </summary>
internal sealed class SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : ExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay)
{
    protected override bool ShouldRetryOn(Exception exception) => SqliteResilience.IsTransientAnywhere(exception);
}
