using Mindora.Hosting;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.Containers;

namespace Mindora.Hosting.Tests;

/// <summary>
/// The container runtime's commands, checked exactly (no engine runs on the CI machine; README's
/// "Container runtime" section says how to try it where Docker or Podman answers).
/// </summary>
public class ContainerRuntimeTests
{
    private static T Allocate<T>(IResourceBuilder<T> builder, int firstPort)
        where T : ServiceResource
    {
        var port = firstPort;
        foreach (var endpoint in builder.Resource.AnnotationsOf<EndpointAnnotation>())
        {
            endpoint.Allocated = new AllocatedEndpoint(endpoint.Scheme, "127.0.0.1", port++);
        }

        return builder.Resource;
    }

    [Fact]
    public void PostgreSQL_runs_its_pinned_image_on_loopback_with_its_volume_labels_and_secrets_by_name_only()
    {
        var builder = TestStack.CreateBuilder();
        var postgres = Allocate(builder.AddPostgres("pg").WithDataVolume(), 41000);

        var arguments = ContainerRunArguments.For(postgres, "mindora-pg-0123abcd", "/data/pg", persistent: false);

        Assert.Equal(
            [
                "run", "--name", "mindora-pg-0123abcd", "--rm",
                "--label", "io.mindora.resource=pg",
                "--label", $"io.mindora.apphost={arguments[7][(arguments[7].IndexOf('=') + 1)..]}",
                "--label", $"io.mindora.configuration={ContainerRunArguments.ConfigurationHash(postgres)}",
                "-p", "127.0.0.1:41000:5432",
                "-v", "mindora-pg-data:/var/lib/postgresql/data",
                "-e", "POSTGRES_USER", "-e", "POSTGRES_PASSWORD", "-e", "POSTGRES_HOST_AUTH_METHOD", "-e", "POSTGRES_INITDB_ARGS",
                "docker.io/library/postgres:17.6",
            ],
            arguments);
    }

    [Fact]
    public void Every_service_publishes_each_endpoint_on_loopback_and_passes_arguments_literally()
    {
        var builder = TestStack.CreateBuilder();
        var rabbit = Allocate(builder.AddRabbitMQ("mq"), 42000);
        var minio = Allocate(builder.AddMinio("files"), 43000);
        var redis = Allocate(builder.AddRedis("cache"), 44000);

        var rabbitArguments = ContainerRunArguments.For(rabbit, "c", "/d", persistent: false);
        var minioArguments = ContainerRunArguments.For(minio, "c", "/d", persistent: false);
        var redisArguments = ContainerRunArguments.For(redis, "c", "/d", persistent: true);

        Assert.Contains("127.0.0.1:42000:5672", rabbitArguments);
        Assert.Contains("127.0.0.1:42001:15672", rabbitArguments);
        Assert.Equal("docker.io/library/rabbitmq:4.1-management", rabbitArguments[^1]);
        Assert.Equal(["docker.io/minio/minio:RELEASE.2025-09-07T16-13-09Z", "server", "/data", "--console-address", ":9001"], minioArguments.TakeLast(5));
        Assert.DoesNotContain("--rm", redisArguments);
        Assert.DoesNotContain(redisArguments, a => a.Contains("-v", StringComparison.Ordinal) && a.Length == 2);
        Assert.StartsWith("touch /data/users.acl", redisArguments[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void No_secret_value_is_ever_on_the_command_line()
    {
        var builder = TestStack.CreateBuilder();
        var services = new ServiceResource[]
        {
            Allocate(builder.AddPostgres("pg"), 45000), Allocate(builder.AddRedis("cache"), 45100), Allocate(builder.AddRabbitMQ("mq"), 45200),
            Allocate(builder.AddElasticsearch("search"), 45300), Allocate(builder.AddQdrant("vectors"), 45400), Allocate(builder.AddMinio("files"), 45500),
        };
        foreach (var parameter in builder.Resources.OfType<ParameterResource>())
        {
            parameter.SetValue("SECRET-" + parameter.Name);
        }

        foreach (var service in services)
        {
            Assert.DoesNotContain(ContainerRunArguments.For(service, "c", "/d", persistent: false), a => a.Contains("SECRET-", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_configuration_hash_changes_with_the_image_settings_but_not_with_ports_allocated_per_run()
    {
        var first = TestStack.CreateBuilder();
        var second = TestStack.CreateBuilder();
        var withVolume = TestStack.CreateBuilder();
        var a = Allocate(first.AddRedis("cache"), 46000);
        var b = Allocate(second.AddRedis("cache"), 47000);
        var c = withVolume.AddRedis("cache").WithDataVolume().Resource;

        Assert.Equal(ContainerRunArguments.ConfigurationHash(a), ContainerRunArguments.ConfigurationHash(b));
        Assert.NotEqual(ContainerRunArguments.ConfigurationHash(a), ContainerRunArguments.ConfigurationHash(c));
        Assert.Equal(ContainerRunArguments.ContainerName(a, "/data/x"), ContainerRunArguments.ContainerName(b, "/data/x"));
        Assert.NotEqual(ContainerRunArguments.ContainerName(a, "/data/x"), ContainerRunArguments.ContainerName(a, "/data/y"));
    }

    [Fact]
    public async Task A_forced_engine_that_is_not_docker_or_podman_is_reported()
    {
        var (engine, reason) = await ContainerEngine.DetectAsync("kubernetes", CancellationToken.None);

        Assert.Null(engine);
        Assert.Contains("is not docker or podman", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_answering_engine_container_falls_back_to_embedded_and_says_why()
    {
        var (engine, _) = await ContainerEngine.DetectAsync(null, CancellationToken.None);
        if (engine is not null)
        {
            return; // An engine answers here: the fallback cannot be observed on this machine.
        }

        var builder = TestStack.CreateBuilder("--runtime", "container");
        builder.AddQdrant("vectors");
        await using var app = await TestStack.StartHealthyAsync(builder);

        var snapshot = app.Notifications.Get("vectors")!;
        Assert.Equal(RuntimeKind.Embedded, snapshot.Runtime);
        Assert.Contains("no container engine answered", snapshot.RuntimeReason, StringComparison.Ordinal);
    }
}
