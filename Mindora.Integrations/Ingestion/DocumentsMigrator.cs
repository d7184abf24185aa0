using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mindora.Integrations.Ingestion;

/// <summary>
/// Applies <see cref="DocumentsDb"/>'s migrations when the host starts, before any other hosted
/// service (the worker's loops, Kestrel) starts, so nothing meets a missing table. The API and
/// the worker both do it: the Data capability's migration lock lets one apply while the other
/// waits, and then finds nothing left. A database that cannot be reached yet — a server still starting, an
/// app role not provisioned yet (the worker does not wait for the database) — is retried for
/// <see cref="DatabaseWait"/>; any other failure stops the start at once.
/// </summary>
internal sealed partial class DocumentsMigrator(IServiceProvider services, TimeProvider time, ILogger<DocumentsMigrator> logger) : IHostedLifecycleService
{
    /// <summary>How long a start waits for an unreachable database.</summary>
    public static readonly TimeSpan DatabaseWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await services.MigrateMindoraDbAsync<DocumentsDb>(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (IsUnreachable(e) && time.GetElapsedTime(started) + delay < DatabaseWait && !cancellationToken.IsCancellationRequested)
            {
                Waiting(logger, attempt, delay.TotalSeconds, e.Message);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether <paramref name="e"/> says the database is not there yet, rather than that something is wrong with it.</summary>
    internal static bool IsUnreachable(Exception e) => e switch
    {
        // Authentication fails until the app's role is provisioned; the database may not exist
        // yet; the server may be starting up or shutting down.
        PostgresException p => p.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            or PostgresErrorCodes.AdminShutdown,
        NpgsqlException n => n.IsTransient,
        SqliteException s => SqliteResilience.IsTransient(s),
        RetryLimitExceededException or MindoraUnavailableException or TimeoutException or SocketException => true,
        _ => e.InnerException is { } inner && IsUnreachable(inner),
    };

    [LoggerMessage(1, LogLevel.Warning, "The documents database cannot be reached yet (attempt {Attempt}); migrating again in {Seconds} s: {Reason}")]
    private static partial void Waiting(ILogger logger, int attempt, double seconds, string reason);
}
