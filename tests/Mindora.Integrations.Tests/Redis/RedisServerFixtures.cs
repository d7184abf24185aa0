using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Integrations.Redis;

namespace Mindora.Integrations.Tests.Redis;

/// <summary>
/// One Redis-compatible server of its own per test class, started through Mindora.Hosting's
/// process runtime exactly as the AppHost starts it (so a test may restart it). The connection
/// string is the admin form, <c>127.0.0.1:PORT,password=PW</c>.
/// </summary>
public abstract class RedisServerFixture(string server, params string[] extraArguments) : IAsyncLifetime
{
    public const string ResourceName = "cache";

    private string _dataDirectory = string.Empty;

    /// <summary><c>redis-server</c> or <c>garnet-server</c>.</summary>
    public string Server => server;

    public bool IsGarnet => server == "garnet-server";

    public MindoraApplication App { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public string Password { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "mindora-redis-tests", Guid.NewGuid().ToString("N")[..12]);
        var builder = MindoraApplication.CreateBuilder(["--runtime", "process", "--strict", .. extraArguments]);
        builder.Options.DataDirectory = _dataDirectory;
        builder.Options.DashboardUrl = new Uri("http://127.0.0.1:0");
        builder.Options.RandomizePorts = true;
        builder.Options.ShutdownTimeout = TimeSpan.FromSeconds(5);
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        var redis = builder.AddRedis(ResourceName).Resource;
        App = builder.Build();
        await App.StartAsync();
        await WaitHealthyAsync();
        ConnectionString = (await redis.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run))!;
        Password = (await redis.Password.GetValueAsync(ValueResolutionContext.Run))!;
        Port = redis.GetEndpoint(RedisResource.PrimaryEndpointName).Allocated.Port;
    }

    /// <summary>Stops the server process and starts it again (its data is gone: no volume).</summary>
    public async Task RestartAsync()
    {
        Assert.Equal(ResourceActionResult.Done, await App.ControlAsync(ResourceName, ResourceAction.Restart));
        await WaitHealthyAsync();
    }

    /// <summary>A client of the admin user; <paramref name="options"/> are appended to the connection string.</summary>
    internal RedisClient CreateClient(string options = "") =>
        new(RedisConnectionSettings.Parse(ConnectionString + options, "test"));

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
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

    private async Task WaitHealthyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await App.WaitForAllHealthyAsync(timeout.Token);
    }
}

/// <summary>Debian's redis-server.</summary>
public sealed class RedisServer() : RedisServerFixture("redis-server");

/// <summary>Microsoft Garnet, installed as a dotnet tool by the process runtime.</summary>
public sealed class GarnetServer() : RedisServerFixture("garnet-server", "--Mindora:Redis:Server=garnet-server");
