using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;
using Mindora.Testing;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Mindora.Hosting.Tests;

/// <summary>Apps are isolated by the servers themselves: each has its own credentials and rights.</summary>
[Collection(SharedServers.Collection)]
public sealed class ProvisioningTests(SharedServers servers)
{
    [ServerFact("postgresql")]
    public async Task Each_app_gets_its_own_PostgreSQL_role_and_schema_and_cannot_read_another_apps_tables()
    {
        var docs = await servers.CreateAppAsync(SharedServers.NewAppName());
        var other = await servers.CreateAppAsync(SharedServers.NewAppName());
        var docsSchema = "app_" + docs.App;
        Assert.Contains($"Username={docsSchema}", docs.Postgres, StringComparison.Ordinal);

        await using (var connection = new NpgsqlConnection(docs.Postgres))
        {
            await connection.OpenAsync();
            await Execute(connection, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('private')");
            await using var where = new NpgsqlCommand("SELECT table_schema FROM information_schema.tables WHERE table_name = 'notes'", connection);
            Assert.Equal(docsSchema, await where.ExecuteScalarAsync());
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "CREATE TABLE public.leak (x int)"))).SqlState);
            Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, "CREATE ROLE sneaky"))).SqlState);
        }

        await using (var connection = new NpgsqlConnection(other.Postgres))
        {
            await connection.OpenAsync();
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, $"SELECT * FROM {docsSchema}.notes"));
            Assert.Equal("42501", refused.SqlState); // insufficient_privilege
            await Execute(connection, "CREATE TABLE notes (body text)"); // its own schema, same table name
        }
    }

    [ServerFact("redis-server")]
    public async Task Each_app_is_a_Redis_ACL_user_limited_to_its_own_keys_and_safe_commands()
    {
        var docs = await servers.CreateAppAsync(SharedServers.NewAppName());
        var other = await servers.CreateAppAsync(SharedServers.NewAppName());
        Assert.Contains($",user={docs.App},password=", docs.Redis, StringComparison.Ordinal);
        var port = servers.Redis.GetEndpoint("tcp").Allocated.Port;
        await using var connection = await RespConnection.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await connection.SendAsync(CancellationToken.None, "AUTH", docs.App, docs.Redis[(docs.Redis.IndexOf("password=", StringComparison.Ordinal) + 9)..]);

        await connection.SendAsync(CancellationToken.None, "SET", $"{docs.App}:greeting", "hello");
        Assert.Equal("hello", await connection.SendAsync(CancellationToken.None, "GET", $"{docs.App}:greeting"));
        foreach (var command in new[] { new[] { "GET", $"{other.App}:secret" }, ["SET", $"{other.App}:x", "1"], ["FLUSHALL"], ["KEYS", "*"], ["CONFIG", "GET", "requirepass"], ["PUBLISH", $"{other.App}:events", "x"] })
        {
            var refused = await Assert.ThrowsAsync<RespErrorException>(() => connection.SendAsync(CancellationToken.None, command));
            Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        }
    }

    [ServerFact("rabbitmq-server")]
    public async Task Each_app_is_a_RabbitMQ_user_limited_to_its_own_and_the_shared_queues()
    {
        var docs = await servers.CreateAppAsync(SharedServers.NewAppName());
        var other = await servers.CreateAppAsync(SharedServers.NewAppName());
        Assert.StartsWith($"amqp://{docs.App}:", docs.RabbitMQ, StringComparison.Ordinal);
        await using var connection = await new ConnectionFactory { Uri = new Uri(docs.RabbitMQ) }.CreateConnectionAsync();

        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync($"{docs.App}.internal_tasks", durable: false, exclusive: false, autoDelete: true);
            await channel.QueueDeclareAsync($"{docs.App}_internal_tasks", durable: false, exclusive: false, autoDelete: true);

            // The shared names are the provisioner's: an app checks them (passive) but may not declare them.
            await channel.QueueDeclarePassiveAsync("ai_processing_tasks");
            await channel.ExchangeDeclarePassiveAsync("system_events");
        }

        await using (var sharedChannel = await connection.CreateChannelAsync())
        {
            var shared = await Assert.ThrowsAsync<OperationInterruptedException>(() => sharedChannel.QueueDeclareAsync("system_events", durable: true, exclusive: false, autoDelete: false));
            Assert.Equal((ushort)403, shared.ShutdownReason?.ReplyCode);
        }

        await using var refusedChannel = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => refusedChannel.QueueDeclareAsync($"{other.App}.internal_tasks", durable: false, exclusive: false, autoDelete: true));
        Assert.Equal((ushort)403, refused.ShutdownReason?.ReplyCode); // ACCESS_REFUSED
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The AppHost provisions the apps declared WithMindoraApp before they start, and gives them their own credentials.</summary>
public sealed class AppHostProvisioningTests
{
    [ServerFact("rabbitmq-server")]
    public async Task Apps_get_accounts_before_they_start_and_their_connection_strings_carry_them_masked()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process");
        var database = builder.AddPostgres("pg").AddDatabase("shared");
        var redis = builder.AddRedis("cache");
        var rabbit = builder.AddRabbitMQ("mq");
        var api = builder.AddExecutable("docs-api", "sleep", ".", "600")
            .WithMindoraApp("docs")
            .WithReference(database).WithReference(redis).WithReference(rabbit)
            .WaitFor(database).WaitFor(redis).WaitFor(rabbit);
        await using var app = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 90);

        var environment = app.Notifications.Get("docs-api")!.Environment.ToDictionary(e => e.Name);
        Assert.Equal("amqp://docs:********@127.0.0.1:" + rabbit.Resource.GetEndpoint("tcp").Allocated.Port, environment["ConnectionStrings__mq"].Value);
        Assert.Contains("Username=app_docs;Password=********", environment["ConnectionStrings__shared"].Value, StringComparison.Ordinal);
        Assert.Contains(",user=docs,password=********", environment["ConnectionStrings__cache"].Value, StringComparison.Ordinal);
        Assert.Equal("docs", environment["Mindora__App"].Value);

        // The accounts exist: each of the app's real connection strings opens a session.
        await using (var connection = new NpgsqlConnection(await new ConnectionStringReference(database.Resource, api.Resource).GetValueAsync(ValueResolutionContext.Run)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_schema()", connection);
            Assert.Equal("app_docs", await command.ExecuteScalarAsync());
        }

        await using (var amqp = await new ConnectionFactory { Uri = new Uri((await new ConnectionStringReference(rabbit.Resource, api.Resource).GetValueAsync(ValueResolutionContext.Run))!) }.CreateConnectionAsync())
        {
            Assert.True(amqp.IsOpen);
        }

        var redisConnection = (await new ConnectionStringReference(redis.Resource, api.Resource).GetValueAsync(ValueResolutionContext.Run))!;
        await using var resp = await RespConnection.ConnectAsync("127.0.0.1", redis.Resource.GetEndpoint("tcp").Allocated.Port, CancellationToken.None);
        Assert.Equal("OK", await resp.SendAsync(CancellationToken.None, "AUTH", "docs", redisConnection[(redisConnection.IndexOf("password=", StringComparison.Ordinal) + 9)..]));
    }
}
