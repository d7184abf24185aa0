using System.Diagnostics;
using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Publishing;

namespace Mindora.Hosting.Tests;

public class ComposePublisherTests
{
    private static async Task<(MindoraApplicationBuilder Builder, string Directory)> PublishAsync()
    {
        var builder = TestStack.CreateBuilder();
        var postgres = builder.AddPostgres("pg").WithDataVolume();
        var db = postgres.AddDatabase("appdb");
        var redis = builder.AddRedis("cache");
        var key = builder.AddParameter("api-key", secret: true);
        var root = TestStack.NewTempDirectory();
        var projectPath = Path.Combine(root, "src", "Api", "Api.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(projectPath)!);
        File.WriteAllText(projectPath, "<Project />");
        builder.AddProject("api", projectPath)
            .WithMindoraApp("docs")
            .WithHttpEndpoint(port: 5000).WithExternalHttpEndpoints()
            .WithReference(db).WithReference(redis)
            .WithEnvironment("Api__Key", key)
            .WaitFor(db).WaitFor(redis);
        builder.Build();
        var output = Path.Combine(root, "deploy", "compose");
        await new ComposePublisher(builder.Resources, output, root, projectPath).PublishAsync(CancellationToken.None);
        return (builder, output);
    }

    [Fact]
    public async Task Compose_reads_every_secret_from_env_and_never_holds_one()
    {
        var (builder, output) = await PublishAsync();
        foreach (var parameter in builder.Resources.OfType<ParameterResource>())
        {
            parameter.SetValue("SECRET-" + parameter.Name);
        }

        var compose = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml"));
        var env = await File.ReadAllTextAsync(Path.Combine(output, ".env.example"));

        Assert.DoesNotContain("SECRET-", compose + env, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__appdb: \"Host=pg;Port=5432;Username=app_docs;Password=${PG_DOCS_PASSWORD:?set PG_DOCS_PASSWORD in .env};Database=appdb\"", compose, StringComparison.Ordinal);
        Assert.Contains("Api__Key: \"${API_KEY:?set API_KEY in .env}\"", compose, StringComparison.Ordinal);
        foreach (var variable in new[] { "API_KEY=", "PG_PASSWORD=", "PG_DOCS_PASSWORD=", "CACHE_PASSWORD=", "CACHE_DOCS_PASSWORD=" })
        {
            Assert.Contains("\n" + variable + "\n", env, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Apps_are_hardened_publish_only_their_external_port_and_wait_for_healthy_services_and_provisioning()
    {
        var (_, output) = await PublishAsync();
        var compose = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml"));
        var api = compose[compose.IndexOf("\n  api:", StringComparison.Ordinal)..compose.IndexOf("\nnetworks:", StringComparison.Ordinal)];
        var postgres = compose[compose.IndexOf("\n  pg:", StringComparison.Ordinal)..compose.IndexOf("\n  cache:", StringComparison.Ordinal)];

        Assert.Contains("read_only: true", api, StringComparison.Ordinal);
        Assert.Contains("tmpfs: [\"/tmp\"]", api, StringComparison.Ordinal);
        Assert.Contains("cap_drop: [\"ALL\"]", api, StringComparison.Ordinal);
        Assert.Contains("security_opt: [\"no-new-privileges:true\"]", api, StringComparison.Ordinal);
        Assert.Contains("- \"${API_HTTP_PORT:-5000}:8080\"", api, StringComparison.Ordinal);
        Assert.Contains("pg:\n        condition: \"service_healthy\"", api, StringComparison.Ordinal);
        Assert.Contains("provision:\n        condition: \"service_completed_successfully\"", api, StringComparison.Ordinal);
        Assert.DoesNotContain("ports:", postgres, StringComparison.Ordinal);
        Assert.Contains("networks: [\"backend\"]", postgres, StringComparison.Ordinal);
        Assert.Contains("restart: \"unless-stopped\"", postgres, StringComparison.Ordinal);
        Assert.Contains("- \"mindora-pg-data:/var/lib/postgresql/data\"", postgres, StringComparison.Ordinal);
        Assert.Contains("USER app", await File.ReadAllTextAsync(Path.Combine(output, "api.Dockerfile")), StringComparison.Ordinal);
        Assert.Contains("RUN dotnet publish \"src/Api/Api.csproj\"", await File.ReadAllTextAsync(Path.Combine(output, "api.Dockerfile")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Elasticsearch_heap_is_a_deployer_setting_and_its_health_check_waits_for_yellow()
    {
        var builder = TestStack.CreateBuilder();
        builder.AddElasticsearch("search");
        builder.Build();
        var root = TestStack.NewTempDirectory();
        var output = Path.Combine(root, "compose");
        await new ComposePublisher(builder.Resources, output, root, Path.Combine(root, "AppHost.csproj")).PublishAsync(CancellationToken.None);

        var compose = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml"));
        var env = await File.ReadAllTextAsync(Path.Combine(output, ".env.example"));
        Assert.Contains("ES_JAVA_OPTS: \"${SEARCH_JAVA_OPTS:--Xms512m -Xmx512m}\"", compose, StringComparison.Ordinal);
        Assert.Contains("\nSEARCH_JAVA_OPTS=-Xms512m -Xmx512m\n", env, StringComparison.Ordinal);
        Assert.Contains("_cluster/health?wait_for_status=yellow&timeout=1s", compose, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minio_publishes_its_s3_api_on_loopback_by_default_and_apps_sign_links_for_the_public_endpoint()
    {
        var builder = TestStack.CreateBuilder();
        var files = builder.AddMinio("files");
        var root = TestStack.NewTempDirectory();
        var projectPath = Path.Combine(root, "Api", "Api.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(projectPath)!);
        File.WriteAllText(projectPath, "<Project />");
        builder.AddProject("api", projectPath).WithReference(files);
        builder.AddProject("other", projectPath);
        builder.Build();
        var output = Path.Combine(root, "compose");
        await new ComposePublisher(builder.Resources, output, root, projectPath).PublishAsync(CancellationToken.None);

        var compose = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml"));
        var env = await File.ReadAllTextAsync(Path.Combine(output, ".env.example"));
        var minio = compose[compose.IndexOf("\n  files:", StringComparison.Ordinal)..compose.IndexOf("\n  api:", StringComparison.Ordinal)];
        Assert.Contains("- \"${FILES_PUBLIC_BIND:-127.0.0.1}:${FILES_PUBLIC_PORT:-9000}:9000\"", minio, StringComparison.Ordinal);
        Assert.Contains("networks: [\"backend\", \"frontend\"]", minio, StringComparison.Ordinal);
        var api = compose[compose.IndexOf("\n  api:", StringComparison.Ordinal)..compose.IndexOf("\n  other:", StringComparison.Ordinal)];
        var other = compose[compose.IndexOf("\n  other:", StringComparison.Ordinal)..];
        Assert.Contains("Mindora__Files__PublicEndpoint: \"${FILES_PUBLIC_ENDPOINT:-http://localhost:9000}\"", api, StringComparison.Ordinal);
        Assert.DoesNotContain("PublicEndpoint", other, StringComparison.Ordinal);
        Assert.Contains("\nFILES_PUBLIC_ENDPOINT=http://localhost:9000\n", env, StringComparison.Ordinal);
    }

    [ServerFact("docker-compose")]
    public async Task The_compose_file_is_valid_for_docker_compose()
    {
        const string client = "/usr/bin/docker-compose";
        var (_, output) = await PublishAsync();
        var env = string.Join('\n', (await File.ReadAllLinesAsync(Path.Combine(output, ".env.example")))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.EndsWith('=') ? l + "generated-for-the-test" : l));
        await File.WriteAllTextAsync(Path.Combine(output, ".env"), env);

        var start = new ProcessStartInfo(client) { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "docker-compose.yml", "config", "-q" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
    }
}
