using System.Globalization;
using Mindora.Hosting.ApplicationModel;
using Npgsql;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// PostgreSQL from the installed server (Debian's /usr/lib/postgresql/N/bin): initdb on first
/// start with password authentication and the generated password (kept with the AppHost's
/// secrets, so data and password survive restarts), then postgres itself on a loopback port.
/// Ready when a real query answers.
/// </summary>
internal sealed class PostgresLauncher(ProcessReaper reaper, HttpClient http) : IServerLauncher
{
    private const string ServiceUser = "postgres";

    public bool Handles(ServiceResource resource) => resource is PostgresServerResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource)
    {
        if (FindBinDirectory() is not { } bin)
        {
            return new RuntimeAvailability(false, "PostgreSQL is not installed (Debian: apt-get install postgresql)");
        }

        if (ServiceAccount.IsRoot && !ServiceAccount.Exists(ServiceUser))
        {
            return new RuntimeAvailability(false, "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as");
        }

        return new RuntimeAvailability(true, $"PostgreSQL from {bin}");
    }

    public async Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var server = (PostgresServerResource)resource;
        var bin = FindBinDirectory() ?? throw new MindoraHostingException("PostgreSQL is not installed.");
        var root = ServiceAccount.ReachableDirectory(context.DataDirectory);
        if (root != context.DataDirectory)
        {
            context.Log(LogOrigin.System, $"The data directory is not reachable by the '{ServiceUser}' user; PostgreSQL keeps its data in {root}.");
        }

        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var password = await server.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await InitializeAsync(bin, root, data, server.UserName, password, context, cancellationToken).ConfigureAwait(false);
        }

        var port = server.GetEndpoint(PostgresServerResource.PrimaryEndpointName).Allocated.Port;
        var (fileName, arguments) = ServiceAccount.As(ServiceUser, Path.Combine(bin, "postgres"),
        [
            "-D", data,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={root}",
            "-c", "logging_collector=off",
        ]);
        var child = ChildProcess.Start(
            new ChildProcessSpec(fileName, arguments, root, new Dictionary<string, string?>()),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));

        // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
        return new RunningServer(child, ServiceProbes.For(server, http), NativeSignals.SigInt)
        {
            // Per-run data moved out of the data directory is not removed with the run: remove it here.
            AfterStop = root != context.DataDirectory && !context.Persistent ? () => Directory.Delete(root, recursive: true) : null,
        };
    }

    internal static async Task<ProbeResult> ProbeAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return ProbeResult.Healthy($"PostgreSQL {connection.PostgreSqlVersion} answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return ProbeResult.Unhealthy(e.Message);
        }
    }

    private static async Task InitializeAsync(string bin, string root, string data, string superuser, string password, ServiceStartContext context, CancellationToken cancellationToken)
    {
        context.Log(LogOrigin.System, $"Initializing a new PostgreSQL cluster in {data}.");
        var passwordFile = Path.Combine(root, ".initdb-password");
        await OwnerOnlyFile.WriteAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        try
        {
            await ServiceAccount.GiveAsync(ServiceUser, root, cancellationToken).ConfigureAwait(false);
            var (fileName, arguments) = ServiceAccount.As(ServiceUser, Path.Combine(bin, "initdb"),
                ["-D", data, "-U", superuser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8"]);
            var result = await CommandRunner.RunAsync(fileName, arguments, cancellationToken, workingDirectory: root).ConfigureAwait(false);
            foreach (var line in (result.Output + result.Errors).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                context.Log(LogOrigin.Stdout, line);
            }

            if (!result.Succeeded)
            {
                throw new MindoraHostingException($"initdb failed with exit code {result.ExitCode}; its output is in the resource's log.");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The newest installed server's bin directory, or null.</summary>
    private static string? FindBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "bin", "postgres")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return Path.Combine(newest.Directory, "bin");
            }
        }

        return Binaries.Find("initdb") is { } initdb && File.Exists(Path.Combine(Path.GetDirectoryName(initdb)!, "postgres"))
            ? Path.GetDirectoryName(initdb)
            : null;
    }
}
