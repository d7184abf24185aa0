using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;
using Npgsql;
using RabbitMQ.Client;

namespace Mindora.Hosting.Tests;

/// <summary>The process runtime against the real servers installed on this machine.</summary>
public class ProcessRuntimeTests
{
    [ServerFact("postgresql")]
    public async Task PostgreSQL_runs_as_a_process_with_password_auth_and_its_database_created()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process");
        var postgres = builder.AddPostgres("pg");
        var db = postgres.AddDatabase("appdb");
        await using var app = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 60);

        Assert.Equal(RuntimeKind.Process, app.Notifications.Get("pg")!.Runtime);
        Assert.Equal(RuntimeKind.Process, app.Notifications.Get("appdb")!.Runtime);
        var connectionString = await db.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("appdb", await command.ExecuteScalarAsync());
        }

        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "wrong-password" }.ConnectionString;
        await using var refused = new NpgsqlConnection(wrong);
        var error = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync());
        Assert.Equal("28P01", error.SqlState); // invalid_password
    }

    [ServerFact("postgresql")]
    public async Task PostgreSQL_data_and_password_survive_a_restart_with_a_data_volume()
    {
        var dataDirectory = TestStack.NewTempDirectory();
        string? firstPassword = null;
        for (var run = 0; run < 2; run++)
        {
            var builder = TestStack.CreateBuilder("--runtime", "process");
            builder.Options.DataDirectory = dataDirectory;
            var postgres = builder.AddPostgres("pg").WithDataVolume();
            var db = postgres.AddDatabase("appdb");
            await using var app = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 60);
            var password = await postgres.Resource.Password.GetValueAsync(ValueResolutionContext.Run);
            firstPassword ??= password;
            Assert.Equal(firstPassword, password);

            await using var connection = new NpgsqlConnection(await db.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run));
            await connection.OpenAsync();
            var sql = run == 0 ? "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here'); SELECT v FROM kept" : "SELECT v FROM kept";
            await using var command = new NpgsqlCommand(sql, connection);
            Assert.Equal("still here", await command.ExecuteScalarAsync());
        }
    }

    [ServerFact("redis-server")]
    public async Task Redis_runs_as_a_process_that_requires_its_password()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process");
        var redis = builder.AddRedis("cache");
        await using var app = await TestStack.StartHealthyAsync(builder);

        Assert.Equal(RuntimeKind.Process, app.Notifications.Get("cache")!.Runtime);
        var connectionString = (await redis.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run))!;
        var port = redis.Resource.GetEndpoint("tcp").Allocated.Port;
        Assert.StartsWith($"127.0.0.1:{port},password=", connectionString, StringComparison.Ordinal);
        var password = connectionString[(connectionString.IndexOf("password=", StringComparison.Ordinal) + 9)..];

        await using var anonymous = await RespConnection.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<RespErrorException>(() => anonymous.SendAsync(CancellationToken.None, "SET", "k", "v"));
        Assert.StartsWith("NOAUTH", refused.Message, StringComparison.Ordinal);

        await using var authenticated = await RespConnection.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await authenticated.SendAsync(CancellationToken.None, "AUTH", "default", password);
        await authenticated.SendAsync(CancellationToken.None, "SET", "k", "v");
        Assert.Equal("v", await authenticated.SendAsync(CancellationToken.None, "GET", "k"));
    }

    [ServerFact("redis-server")]
    public async Task A_killed_server_process_is_restarted_and_healthy_again()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process");
        builder.AddRedis("cache");
        await using var app = await TestStack.StartHealthyAsync(builder);
        var pid = app.Notifications.Get("cache")!.ProcessId!.Value;

        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var restarted = await app.Notifications.WaitForAsync("cache", s => s.Restarts == 1 && s.IsHealthy).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(pid, restarted.ProcessId);
        Assert.Contains(app.Logs.GetRecent("cache"), l => l.Text.StartsWith("Exited with code", StringComparison.Ordinal));
    }

    [ServerFact("rabbitmq-server")]
    public async Task RabbitMQ_runs_as_its_own_node_answers_AMQP_and_leaves_nothing_behind()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process");
        var rabbit = builder.AddRabbitMQ("mq");
        var app = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 90);
        int serverPid;
        try
        {
            Assert.Equal(RuntimeKind.Process, app.Notifications.Get("mq")!.Runtime);
            serverPid = app.Notifications.Get("mq")!.ProcessId!.Value;
            var connectionString = await rabbit.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run);
            var factory = new ConnectionFactory { Uri = new Uri(connectionString!) };
            await using (var connection = await factory.CreateConnectionAsync())
            {
                await using var channel = await connection.CreateChannelAsync();
                var queue = await channel.QueueDeclareAsync("probe", durable: false, exclusive: true, autoDelete: true);
                Assert.Equal("probe", queue.QueueName);
            }

            using var management = new HttpClient { BaseAddress = new Uri(rabbit.Resource.GetEndpoint("management").Allocated.Url) };
            var credentials = new Uri(connectionString!).UserInfo;
            management.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(credentials))));
            using var overview = await management.GetAsync(new Uri("/api/overview", UriKind.Relative));
            Assert.True(overview.IsSuccessStatusCode, $"management API answered {(int)overview.StatusCode}");
        }
        finally
        {
            await app.DisposeAsync();
        }

        var leftovers = Directory.GetDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return string.Empty; } })
            .Where(c => c.Contains(app.Options.DataDirectory, StringComparison.Ordinal) || c.Contains("mq@localhost", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(leftovers);
        Assert.False(TestStack.ProcessExists(serverPid));
    }

    [Fact]
    public async Task Without_their_binaries_Qdrant_MinIO_and_Elasticsearch_fall_back_to_embedded_and_say_why()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process");
        builder.AddQdrant("vectors");
        builder.AddElasticsearch("search");
        if (Binaries.Find("minio") is null)
        {
            builder.AddMinio("files");
        }

        await using var app = await TestStack.StartHealthyAsync(builder);

        foreach (var snapshot in app.Notifications.Snapshots.Where(s => s.Kind is "qdrant" or "elasticsearch" or "minio"))
        {
            Assert.Equal(RuntimeKind.Embedded, snapshot.Runtime);
            Assert.StartsWith("fell back from --runtime process", snapshot.RuntimeReason, StringComparison.Ordinal);
        }

        Assert.Contains("no Elasticsearch distribution", app.Notifications.Get("search")!.RuntimeReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_Qdrant_and_MinIO_binaries_that_do_not_exist_fall_back_to_embedded_naming_them()
    {
        var missing = Path.Combine(TestStack.NewTempDirectory(), "bin");
        var builder = TestStack.CreateBuilder("--runtime", "process", $"--Mindora:Qdrant:Binary={missing}/qdrant", $"--Mindora:Minio:Binary={missing}/minio");
        builder.AddQdrant("vectors");
        builder.AddMinio("files");

        await using var app = await TestStack.StartHealthyAsync(builder);

        Assert.Equal(RuntimeKind.Embedded, app.Notifications.Get("vectors")!.Runtime);
        Assert.Contains($"process: Mindora:Qdrant:Binary names {missing}/qdrant, which does not exist", app.Notifications.Get("vectors")!.RuntimeReason, StringComparison.Ordinal);
        Assert.Equal(RuntimeKind.Embedded, app.Notifications.Get("files")!.Runtime);
        Assert.Contains($"process: Mindora:Minio:Binary names {missing}/minio, which does not exist", app.Notifications.Get("files")!.RuntimeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_binary_is_used_before_PATH_and_PATH_is_the_default()
    {
        var configured = Path.Combine(TestStack.NewTempDirectory(), "qdrant");
        File.WriteAllText(configured, string.Empty);

        Assert.Equal((configured, $"qdrant at {configured} (Mindora:Qdrant:Binary)"), Binaries.FindConfigured("qdrant", configured, "Mindora:Qdrant:Binary"));
        Assert.Equal(Binaries.Find("sh"), Binaries.FindConfigured("sh", null, "Mindora:Sh:Binary").Path);
        Assert.Equal((null, "no no-such-program binary on PATH (or set Mindora:X:Binary)"), Binaries.FindConfigured("no-such-program", " ", "Mindora:X:Binary"));
    }

    [Fact]
    public async Task A_configured_Elasticsearch_home_that_is_no_distribution_falls_back_to_embedded_naming_it()
    {
        var empty = TestStack.NewTempDirectory();
        var builder = TestStack.CreateBuilder("--runtime", "process", $"--Mindora:Elasticsearch:Home={empty}");
        builder.AddElasticsearch("search");

        await using var app = await TestStack.StartHealthyAsync(builder);

        var search = app.Notifications.Get("search")!;
        Assert.Equal(RuntimeKind.Embedded, search.Runtime);
        Assert.StartsWith("fell back from --runtime process", search.RuntimeReason, StringComparison.Ordinal);
        Assert.Contains($"process: Mindora:Elasticsearch:Home names {empty}, which has no bin/elasticsearch", search.RuntimeReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_strict_a_service_that_cannot_run_as_a_process_fails_the_start_naming_it_and_why()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process", "--strict");
        builder.AddElasticsearch("search");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<MindoraHostingException>(() => app.StartAsync());

        Assert.Contains("Resource 'search'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--strict", error.Message, StringComparison.Ordinal);
        Assert.Contains("no Elasticsearch distribution", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_redis_server_Garnet_runs_as_a_dotnet_tool_and_requires_the_password()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process", "--Mindora:Redis:Server=garnet-server");
        var redis = builder.AddRedis("cache");
        await using var app = await TestStack.StartHealthyAsync(builder, timeoutSeconds: 90);

        var snapshot = app.Notifications.Get("cache")!;
        Assert.Equal(RuntimeKind.Process, snapshot.Runtime);
        Assert.Contains("garnet-server", snapshot.RuntimeReason, StringComparison.Ordinal);
        var port = redis.Resource.GetEndpoint("tcp").Allocated.Port;
        await using var anonymous = await RespConnection.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await Assert.ThrowsAsync<RespErrorException>(() => anonymous.SendAsync(CancellationToken.None, "SET", "k", "v"));
        await using var authenticated = await RespConnection.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await authenticated.SendAsync(CancellationToken.None, "AUTH", "default", (await redis.Resource.Password.GetValueAsync(ValueResolutionContext.Run))!);
        await authenticated.SendAsync(CancellationToken.None, "SET", "k", "v");
        Assert.Equal("v", await authenticated.SendAsync(CancellationToken.None, "GET", "k"));
    }

    [Fact]
    public async Task Garnet_is_not_used_where_an_app_needs_its_own_user_and_the_reason_says_so()
    {
        var builder = TestStack.CreateBuilder("--runtime", "process", "--Mindora:Redis:Server=garnet-server");
        var redis = builder.AddRedis("cache");
        builder.AddExecutable("docs-api", "sleep", ".", "600").WithMindoraApp("docs").WithReference(redis);
        await using var app = await TestStack.StartHealthyAsync(builder);

        var snapshot = app.Notifications.Get("cache")!;
        Assert.Equal(RuntimeKind.Embedded, snapshot.Runtime);
        Assert.Contains("garnet-server cannot give each app its own user", snapshot.RuntimeReason, StringComparison.Ordinal);
    }
}
