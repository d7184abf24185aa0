using System.Globalization;
using System.Text;
using System.Text.Json;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Redis from the installed redis-server, configured through a file only its owner reads (so the
/// password never shows in a process list), with an ACL file where per-app users are kept.
/// Without redis-server (or with <c>Mindora:Redis:Server=garnet-server</c>), Microsoft Garnet
/// installed as a dotnet tool into the data directory — but only where no app needs its own
/// user: Garnet's ACLs have no key or channel patterns, so it cannot isolate apps.
/// Ready when AUTH and PING answer.
/// </summary>
internal sealed class RedisLauncher(ProcessReaper reaper, HttpClient http, string toolsDirectory, string? preferredServer) : IServerLauncher
{
    public const string GarnetVersion = "2.2.8";

    public bool Handles(ServiceResource resource) => resource is RedisResource;

    public RuntimeAvailability CheckAvailability(ServiceResource resource)
    {
        if (!UseGarnet() && FindServer() is { } server)
        {
            return new RuntimeAvailability(true, $"redis-server at {server}");
        }

        return resource.AppPasswords.Count == 0
            ? new RuntimeAvailability(true, $"garnet-server {GarnetVersion} (a dotnet tool, installed on first use into {toolsDirectory})")
            : new RuntimeAvailability(false, "redis-server is not installed (Debian: apt-get install redis-server), and garnet-server cannot give each app its own user (its ACLs have no key patterns)");
    }

    public Task<IRunningService> StartAsync(ServiceResource resource, ServiceStartContext context, CancellationToken cancellationToken) =>
        !UseGarnet() && FindServer() is { } server
            ? StartRedisAsync((RedisResource)resource, server, context, cancellationToken)
            : StartGarnetAsync((RedisResource)resource, context, cancellationToken);

    private bool UseGarnet() => preferredServer == "garnet-server";

    private async Task<IRunningService> StartRedisAsync(RedisResource redis, string server, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var port = redis.GetEndpoint(RedisResource.PrimaryEndpointName).Allocated.Port;
        var password = await redis.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        Directory.CreateDirectory(context.DataDirectory);

        var aclFile = Path.Combine(context.DataDirectory, "users.acl");
        await WriteDefaultUserAsync(aclFile, password, cancellationToken).ConfigureAwait(false);
        var configFile = Path.Combine(context.DataDirectory, "redis.conf");
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"port {port}")
            .AppendLine("bind 127.0.0.1")
            .AppendLine("protected-mode yes")
            .AppendLine("daemonize no")
            .AppendLine("logfile \"\"")
            .AppendLine(CultureInfo.InvariantCulture, $"dir \"{context.DataDirectory}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"aclfile \"{aclFile}\"")
            .AppendLine(context.Persistent ? "appendonly yes" : "appendonly no")
            .AppendLine(context.Persistent ? "save 60 1000" : "save \"\"");
        await OwnerOnlyFile.WriteAsync(configFile, config.ToString(), cancellationToken).ConfigureAwait(false);

        var child = ChildProcess.Start(
            new ChildProcessSpec(server, [configFile], context.DataDirectory, new Dictionary<string, string?>()),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(redis, http));
    }

    /// <summary>Keeps the per-app users an earlier run provisioned; (re)writes only the default user's line.</summary>
    private static async Task WriteDefaultUserAsync(string aclFile, string password, CancellationToken cancellationToken)
    {
        var others = File.Exists(aclFile)
            ? (await File.ReadAllLinesAsync(aclFile, cancellationToken).ConfigureAwait(false)).Where(l => !l.StartsWith("user default ", StringComparison.Ordinal))
            : [];
        var lines = new[] { $"user default on >{password} ~* &* +@all" }.Concat(others);
        await OwnerOnlyFile.WriteAsync(aclFile, string.Join('\n', lines) + "\n", cancellationToken).ConfigureAwait(false);
    }


    internal static async Task<ProbeResult> ProbeAsync(int port, string password, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await RespConnection.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            await connection.SendAsync(cancellationToken, "AUTH", "default", password).ConfigureAwait(false);
            var pong = await connection.SendAsync(cancellationToken, "PING").ConfigureAwait(false);
            return pong as string == "PONG" ? ProbeResult.Healthy("PING answered PONG") : ProbeResult.Unhealthy($"PING answered {pong}");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or RespErrorException)
        {
            return ProbeResult.Unhealthy(e.Message);
        }
    }

    private async Task<IRunningService> StartGarnetAsync(RedisResource redis, ServiceStartContext context, CancellationToken cancellationToken)
    {
        var garnet = await InstallGarnetAsync(context, cancellationToken).ConfigureAwait(false);
        var port = redis.GetEndpoint(RedisResource.PrimaryEndpointName).Allocated.Port;
        var password = await redis.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        Directory.CreateDirectory(context.DataDirectory);
        var configFile = Path.Combine(context.DataDirectory, "garnet.conf");
        var config = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Port"] = port,
            ["Address"] = "127.0.0.1",
            ["AuthenticationMode"] = "Password",
            ["Password"] = password,
        });
        await OwnerOnlyFile.WriteAsync(configFile, config, cancellationToken).ConfigureAwait(false);
        List<string> arguments = ["--config-import-path", configFile];
        if (context.Persistent)
        {
            arguments.AddRange(["--aof", "--recover", "--logdir", context.DataDirectory, "--checkpointdir", context.DataDirectory]);
        }

        var child = ChildProcess.Start(
            new ChildProcessSpec(garnet, arguments, context.DataDirectory, new Dictionary<string, string?>()),
            reaper,
            (line, isError) => context.Log(isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningServer(child, ServiceProbes.For(redis, http));
    }

    private async Task<string> InstallGarnetAsync(ServiceStartContext context, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(toolsDirectory, "garnet-server");
        if (File.Exists(executable))
        {
            return executable;
        }

        context.Log(LogOrigin.System, $"Installing garnet-server {GarnetVersion} into {toolsDirectory}.");
        Directory.CreateDirectory(toolsDirectory);
        var install = await CommandRunner.RunAsync(
            DotnetHost.Path,
            ["tool", "install", "--tool-path", toolsDirectory, "garnet-server", "--version", GarnetVersion],
            cancellationToken,
            workingDirectory: toolsDirectory).ConfigureAwait(false);
        if (!install.Succeeded || !File.Exists(executable))
        {
            throw new MindoraHostingException($"Installing garnet-server failed: {install.Errors.Trim()} {install.Output.Trim()}");
        }

        return executable;
    }

    private static string? FindServer() => Binaries.Find("redis-server", "/usr/bin/redis-server");
}
