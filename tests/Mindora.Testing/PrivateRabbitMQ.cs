using System.Diagnostics;
using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Testing;

/// <summary>
/// A RabbitMQ broker of one test alone, started through Mindora.Hosting's process runtime, for
/// tests that stop it (the shared broker serves other tests at the same time). Killing its process
/// is a crash; the runtime's supervisor starts it again on the same port and data directory.
/// </summary>
public sealed class PrivateRabbitMQ : IAsyncDisposable
{
    private const string ResourceName = "mq";
    private readonly MindoraApplication _app;
    private readonly string _dataDirectory;
    private readonly RabbitMQServerResource _rabbit;
    private readonly AppAccount _account;

    private PrivateRabbitMQ(MindoraApplication app, string dataDirectory, RabbitMQServerResource rabbit, AppAccount account, string appName, string connectionString)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        _rabbit = rabbit;
        _account = account;
        AppName = appName;
        ConnectionString = connectionString;
    }

    /// <summary>The app provisioned on it.</summary>
    public string AppName { get; }

    /// <summary>The app's AMQP URI (its own user).</summary>
    public string ConnectionString { get; }

    /// <summary>The administrator's AMQP URI.</summary>
    public async Task<string> AdminConnectionStringAsync(CancellationToken cancellationToken = default) =>
        (await _rabbit.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!;

    /// <summary>Provisions the app again, as the AppHost does on every start.</summary>
    public async Task ProvisionAgainAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await new RabbitMQProvisioner(http).ProvisionAsync(_rabbit, [_account], cancellationToken);
    }

    /// <summary>Why the broker cannot run here, or null.</summary>
    public static string? Unavailable =>
        File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") ? null : "Not installed: rabbitmq-server (Debian: apt-get install -y rabbitmq-server).";

    /// <summary>Starts a broker and provisions <paramref name="appName"/> on it as the AppHost does.</summary>
    public static async Task<PrivateRabbitMQ> StartAsync(string appName, CancellationToken cancellationToken = default)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mindora-private-rabbitmq", Guid.NewGuid().ToString("N")[..12]);
        var builder = ProcessStack.CreateBuilder(dataDirectory);
        var rabbit = builder.AddRabbitMQ(ResourceName).Resource;
        var app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await app.WaitForAllHealthyAsync(timeout.Token);

            var account = await SharedServers.NewAccountAsync(rabbit, appName, cancellationToken);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await new RabbitMQProvisioner(http).ProvisionAsync(rabbit, [account], cancellationToken);
            var connectionString = (await rabbit.AppConnectionStringExpression(appName)!.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!;
            return new PrivateRabbitMQ(app, dataDirectory, rabbit, account, appName, connectionString);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The broker's process ID now (it changes when the supervisor restarts it).</summary>
    public int ProcessId => _app.Notifications.Get(ResourceName)?.ProcessId ?? throw new InvalidOperationException("The broker is not running.");

    /// <summary>Kills the broker's process tree (SIGKILL, no clean shutdown); returns the PID it had.</summary>
    public int Kill()
    {
        var pid = ProcessId;
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(30));
        return pid;
    }

    /// <summary>Waits until the supervisor has started the broker again under a new PID and it is healthy.</summary>
    public Task WaitRestartedAsync(int oldPid, CancellationToken cancellationToken) =>
        _app.Notifications.WaitForAsync(ResourceName, s => s.IsHealthy && s.ProcessId is { } pid && pid != oldPid, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
