using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Hosting.Tests;

/// <summary>One stack for the class: real PostgreSQL, Redis and RabbitMQ, and two apps that share them.</summary>
public sealed class SharedServersFixture : IAsyncLifetime
{
    public MindoraApplication App { get; private set; } = null!;

    public IResourceBuilder<PostgresDatabaseResource> Database { get; private set; } = null!;

    public IResourceBuilder<RedisResource> Redis { get; private set; } = null!;

    public IResourceBuilder<RabbitMQServerResource> Rabbit { get; private set; } = null!;

    public Dictionary<string, IResource> Apps { get; } = [];

    public bool Available { get; private set; }

    public async Task InitializeAsync()
    {
        Available = Directory.Exists("/usr/lib/postgresql") && File.Exists("/usr/bin/redis-server") && File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server");
        if (!Available)
        {
            return;
        }

        var builder = TestStack.CreateBuilder("--runtime", "process");
        Database = builder.AddPostgres("pg").AddDatabase("shared");
        Redis = builder.AddRedis("cache");
        Rabbit = builder.AddRabbitMQ("mq");
        foreach (var app in new[] { "docs", "other" })
        {
            Apps[app] = builder.AddExecutable($"{app}-api", "sleep", ".", "600")
                .WithMindoraApp(app)
                .WithReference(Database).WithReference(Redis).WithReference(Rabbit)
                .WaitFor(Database).WaitFor(Redis).WaitFor(Rabbit)
                .Resource;
        }

        App = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 90);
    }

    public async Task DisposeAsync()
    {
        if (Available)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>The connection string app <paramref name="app"/> was given for <paramref name="resource"/>.</summary>
    public async Task<string> ConnectionStringAsync(string app, IResourceWithConnectionString resource) =>
        (await new ConnectionStringReference(resource, Apps[app]).GetValueAsync(ValueResolutionContext.Run))!;
}

/// <summary>Apps are isolated by the servers themselves: each has its own credentials and rights.</summary>
public sealed class ProvisioningTests(SharedServersFixture stack) : IClassFixture<SharedServersFixture>
{
    [ServerFact("postgresql")]
    public async Task Each_app_gets_its_own_PostgreSQL_role_and_schema_and_cannot_read_another_apps_tables()
    {
        var docs = await stack.ConnectionStringAsync("docs", stack.Database.Resource);
        var other = await stack.ConnectionStringAsync("other", stack.Database.Resource);
        Assert.Contains("Username=app_docs", docs, StringComparison.Ordinal);
        Assert.Contains("Database=shared", docs, StringComparison.Ordinal);

        await using (var connection = new NpgsqlConnection(docs))
        {
            await connection.OpenAsync();
            await Execute(connection, "CREATE TABLE IF NOT EXISTS notes (body text); INSERT INTO notes VALUES ('private to docs')");
            await using var where = new NpgsqlCommand("SELECT table_schema FROM information_schema.tables WHERE table_name = 'notes'", connection);
            Assert.Equal("app_docs", await where.ExecuteScalarAsync());
            var publicRefused = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "CREATE TABLE public.leak (x int)"));
            Assert.Equal("42501", publicRefused.SqlState);
            var roleRefused = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "CREATE ROLE sneaky"));
            Assert.Equal("42501", roleRefused.SqlState);
        }

        await using (var connection = new NpgsqlConnection(other))
        {
            await connection.OpenAsync();
            var readRefused = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "SELECT * FROM app_docs.notes"));
            Assert.Equal("42501", readRefused.SqlState); // insufficient_privilege
            await Execute(connection, "CREATE TABLE IF NOT EXISTS notes (body text)"); // its own schema, same table name
        }
    }

    [ServerFact("redis-server")]
    public async Task Each_app_is_a_Redis_ACL_user_limited_to_its_own_keys_and_safe_commands()
    {
        var docs = await stack.ConnectionStringAsync("docs", stack.Redis.Resource);
        Assert.Contains(",user=docs,password=", docs, StringComparison.Ordinal);
        var port = stack.Redis.Resource.GetEndpoint("tcp").Allocated.Port;
        await using var connection = await RespConnection.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await connection.SendAsync(CancellationToken.None, "AUTH", "docs", docs[(docs.IndexOf("password=", StringComparison.Ordinal) + 9)..]);

        await connection.SendAsync(CancellationToken.None, "SET", "docs:greeting", "hello");
        Assert.Equal("hello", await connection.SendAsync(CancellationToken.None, "GET", "docs:greeting"));
        foreach (var command in new[] { new[] { "GET", "other:secret" }, ["SET", "other:x", "1"], ["FLUSHALL"], ["KEYS", "*"], ["CONFIG", "GET", "requirepass"], ["PUBLISH", "other:events", "x"] })
        {
            var refused = await Assert.ThrowsAsync<RespErrorException>(() => connection.SendAsync(CancellationToken.None, command));
            Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        }
    }

    [ServerFact("rabbitmq-server")]
    public async Task Each_app_is_a_RabbitMQ_user_limited_to_its_own_and_the_shared_queues()
    {
        var docs = await stack.ConnectionStringAsync("docs", stack.Rabbit.Resource);
        Assert.StartsWith("amqp://docs:", docs, StringComparison.Ordinal);
        await using var connection = await new ConnectionFactory { Uri = new Uri(docs) }.CreateConnectionAsync();

        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync("docs.internal_tasks", durable: false, exclusive: false, autoDelete: true);
            await channel.QueueDeclareAsync("docs_internal_tasks", durable: false, exclusive: false, autoDelete: true);
            await channel.QueueDeclareAsync("system_events", durable: false, exclusive: false, autoDelete: true);
        }

        await using var refusedChannel = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => refusedChannel.QueueDeclareAsync("other.internal_tasks", durable: false, exclusive: false, autoDelete: true));
        Assert.Equal((ushort)403, refused.ShutdownReason?.ReplyCode); // ACCESS_REFUSED
    }

    [ServerFact("rabbitmq-server")]
    public void The_dashboard_shows_each_apps_connection_string_with_its_password_masked()
    {
        var environment = stack.App.Notifications.Get("docs-api")!.Environment.ToDictionary(e => e.Name);

        Assert.Equal("amqp://docs:********@127.0.0.1:" + stack.Rabbit.Resource.GetEndpoint("tcp").Allocated.Port, environment["ConnectionStrings__mq"].Value);
        Assert.True(environment["ConnectionStrings__shared"].IsSecret);
        Assert.Contains("Username=app_docs;Password=********", environment["ConnectionStrings__shared"].Value, StringComparison.Ordinal);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
