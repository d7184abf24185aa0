using Microsoft.Data.Sqlite;

namespace Mindora.Hosting.Runtimes;

/// <summary>
/// Proves an embedded resource is usable: its directory takes a durable write, and every SQLite
/// store in it opens and answers a query within the busy timeout.
/// </summary>
internal static class EmbeddedStoreProbe
{
    public static async Task<ProbeResult> ProbeAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return ProbeResult.Unhealthy($"The data directory {directory} does not exist.");
        }

        var probeFile = Path.Combine(directory, $".probe-{Environment.ProcessId}");
        try
        {
            await using (var stream = new FileStream(probeFile, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
            {
                await stream.WriteAsync("ok"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            File.Delete(probeFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ProbeResult.Unhealthy($"The data directory {directory} is not writable: {e.Message}");
        }

        var stores = Directory.GetFiles(directory, "*.db");
        foreach (var store in stores)
        {
            try
            {
                var connectionString = new SqliteConnectionStringBuilder { DataSource = store, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 2 }.ToString();
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM sqlite_schema;"; // DefaultTimeout also bounds waiting on locks
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                return ProbeResult.Unhealthy($"The store {Path.GetFileName(store)} is not usable: {e.Message}");
            }
        }

        return ProbeResult.Healthy(stores.Length == 0 ? "directory writable; no stores yet" : $"directory writable; {stores.Length} store(s) answer");
    }
}
