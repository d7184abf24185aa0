using System.Globalization;
using System.Text;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// RabbitMQ from the installed rabbitmq-server, as its own node: its own HOME (cookie), data
/// and log directories, ports, and its own epmd on a free port, run in the foreground as part of
/// the resource so nothing is left behind. The management plugin is enabled through the plugins
/// file before start; the administrator comes from the configuration file (owner-only). Ready
/// when a real AMQP handshake with the administrator's credentials succeeds.
/// </summary>
internal sealed class RabbitMQLauncher(ProcessReaper reaper, PortAllocator ports, HttpClient http) : IServerLauncher
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public bool Handles(ServiceResource resource) => resource is RabbitMQServerResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource) =>
        File.Exists(ServerScript) && FindEpmd() is not null
            ? new RuntimeAvailability(true, $"RabbitMQ at {ServerScript}")
            : new RuntimeAvailability(false, "rabbitmq-server is not installed (Debian: apt-get install rabbitmq-server)");

    public async Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var rabbit = (RabbitMQServerResource)resource;
        var directory = context.DataDirectory;
        Directory.CreateDirectory(Path.Combine(directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        var amqpPort = rabbit.GetEndpoint(RabbitMQServerResource.PrimaryEndpointName).Allocated.Port;
        var managementPort = rabbit.GetEndpoint(RabbitMQServerResource.ManagementEndpointName).Allocated.Port;
        var password = await rabbit.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false) ?? string.Empty;

        var configFile = Path.Combine(directory, "rabbitmq.conf");
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"listeners.tcp.default = 127.0.0.1:{amqpPort}")
            .AppendLine("loopback_users = none")
            .AppendLine(CultureInfo.InvariantCulture, $"management.tcp.port = {managementPort}")
            .AppendLine("management.tcp.ip = 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"default_user = {rabbit.UserName}")
            .AppendLine(CultureInfo.InvariantCulture, $"default_pass = {password}")
            .AppendLine("default_user_tags.administrator = true");
        await OwnerOnlyFile.WriteAsync(configFile, config.ToString(), cancellationToken).ConfigureAwait(false);
        var pluginsFile = Path.Combine(directory, "enabled_plugins");
        await File.WriteAllTextAsync(pluginsFile, "[rabbitmq_management].\n", cancellationToken).ConfigureAwait(false);

        // Our own epmd in the foreground: the node registers with it instead of starting a
        // daemon epmd that would outlive the AppHost.
        var epmdPort = ports.AllocateFree();
        var epmd = ChildProcess.Start(
            new ChildProcessSpec(FindEpmd()!, ["-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"], directory, new Dictionary<string, string?>()),
            reaper,
            (line, _) => context.Log(LogOrigin.System, "epmd: " + line));

        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = directory,
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODENAME"] = $"{rabbit.Name}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = ports.AllocateFree().ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = pluginsFile,
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
        ChildProcess server;
        try
        {
            server = ChildProcess.Start(
                new ChildProcessSpec(ServerScript, [], directory, environment),
                reaper,
                (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        }
        catch
        {
            await epmd.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new RunningServer(server, ServiceProbes.For(rabbit, http), NativeSignals.SigTerm, epmd);
    }

    private static string? FindEpmd() => Binaries.Find("epmd", "/usr/bin/epmd");
}
