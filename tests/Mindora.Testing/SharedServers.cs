using System.Security.Cryptography;
using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;
using Xunit;

namespace Mindora.Testing;

/// <summary>The connection strings of one app, each with the app's own credentials.</summary>
/// <param name="App">The app's name.</param>
/// <param name="Postgres">Npgsql form, database <c>tests</c>, search path = the app's schema.</param>
/// <param name="Redis">StackExchange.Redis form, ACL user = the app.</param>
/// <param name="RabbitMQ">AMQP URI, user = the app.</param>
public sealed record AppConnections(string App, string Postgres, string Redis, string RabbitMQ);

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ (Debian's packages, which the README's test command
/// installs), started once through Mindora.Hosting's process runtime and shared by every test
/// class of a collection. Each test asks for its own app (<see cref="CreateAppAsync"/>), which is
/// provisioned exactly as the AppHost provisions apps, so tests never see each other's data.
/// </summary>
public sealed class SharedServers : IAsyncLifetime
{
    /// <summary>The xunit collection name test projects define with <c>ICollectionFixture&lt;SharedServers&gt;</c>.</summary>
    public const string Collection = "shared servers";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private MindoraApplication? _app;
    private string _dataDirectory = string.Empty;

    /// <summary>The PostgreSQL server.</summary>
    public PostgresServerResource Postgres { get; private set; } = null!;

    /// <summary>The shared database apps get schemas in.</summary>
    public PostgresDatabaseResource Database { get; private set; } = null!;

    /// <summary>The Redis server.</summary>
    public RedisResource Redis { get; private set; } = null!;

    /// <summary>The RabbitMQ broker.</summary>
    public RabbitMQServerResource RabbitMQ { get; private set; } = null!;

    /// <summary>Why the servers are not there, or null when they run.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        Unavailable = MissingServers();
        if (Unavailable is not null)
        {
            return;
        }

        _dataDirectory = Path.Combine(Path.GetTempPath(), "mindora-shared-servers", Guid.NewGuid().ToString("N")[..12]);
        var builder = ProcessStack.CreateBuilder(_dataDirectory);
        var postgres = builder.AddPostgres("pg");
        Postgres = postgres.Resource;
        Database = postgres.AddDatabase("tests").Resource;
        Redis = builder.AddRedis("redis").Resource;
        RabbitMQ = builder.AddRabbitMQ("rabbitmq").Resource;

        _app = builder.Build();
        await _app.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _app.WaitForAllHealthyAsync(timeout.Token);
    }

    /// <summary>Provisions a new app (a role and schema, an ACL user, a broker user) and returns its connection strings.</summary>
    public async Task<AppConnections> CreateAppAsync(string appName, CancellationToken cancellationToken = default)
    {
        if (Unavailable is not null)
        {
            throw new InvalidOperationException(Unavailable);
        }

        var accounts = new Dictionary<ServiceResource, AppAccount>();
        foreach (var server in new ServiceResource[] { Postgres, Redis, RabbitMQ })
        {
            accounts[server] = await NewAccountAsync(server, appName, cancellationToken);
        }

        await new PostgresProvisioner().ProvisionAsync(Postgres, [accounts[Postgres]], cancellationToken);
        var database = (await Database.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!;
        await PostgresProvisioner.ProvisionDatabaseAsync(database, Database.DatabaseName, [accounts[Postgres]], cancellationToken);
        await new RedisProvisioner().ProvisionAsync(Redis, [accounts[Redis]], cancellationToken);
        await new RabbitMQProvisioner(_http).ProvisionAsync(RabbitMQ, [accounts[RabbitMQ]], cancellationToken);

        return new AppConnections(
            appName,
            (await Database.AppConnectionStringExpression(appName)!.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!,
            (await Redis.AppConnectionStringExpression(appName)!.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!,
            (await RabbitMQ.AppConnectionStringExpression(appName)!.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!);
    }

    /// <summary>Gives <paramref name="appName"/> a random password on <paramref name="server"/> (not provisioned yet).</summary>
    internal static async Task<AppAccount> NewAccountAsync(ServiceResource server, string appName, CancellationToken cancellationToken)
    {
        var password = new ParameterResource($"{server.Name}-{appName}-password", secret: true);
        password.SetValue(RandomNumberGenerator.GetHexString(32, lowercase: true));
        server.AppPasswords[appName] = password;
        return new AppAccount(appName, server.AppUserName(appName), (await password.GetValueAsync(ValueResolutionContext.Run, cancellationToken))!);
    }

    /// <summary>A fresh valid app name, so a test never meets another test's data.</summary>
    public static string NewAppName() => "t" + RandomNumberGenerator.GetHexString(10, lowercase: true);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _http.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static string? MissingServers()
    {
        var missing = new List<string>();
        if (!Directory.Exists("/usr/lib/postgresql") || Directory.GetDirectories("/usr/lib/postgresql").Length == 0)
        {
            missing.Add("postgresql");
        }

        if (Binaries.Find("redis-server", "/usr/bin/redis-server") is null)
        {
            missing.Add("redis-server");
        }

        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
        {
            missing.Add("rabbitmq-server");
        }

        return missing.Count == 0 ? null : $"Not installed: {string.Join(", ", missing)} (Debian: apt-get install -y {string.Join(' ', missing)}); the README's test command installs them.";
    }
}
