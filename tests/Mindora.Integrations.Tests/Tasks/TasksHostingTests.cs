using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Hosting;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Tasks;

[Collection(SharedServers.Collection)]
public sealed class TasksHostingTests(SharedServers servers, TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task A_redis_connection_string_gives_the_redis_queue_with_the_apps_acl_user_and_a_healthy_check()
    {
        var apps = new ProvisionedApps(servers);
        var app = await apps.NewAsync();
        var builder = HostBuilders.Create(("ConnectionStrings:redis", apps[app].Redis));

        builder.AddMindora(app);
        using var host = builder.Build();
        var tasks = host.Services.GetRequiredService<ITaskQueue>();
        var task = await tasks.EnqueueAsync("t", "via DI");
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.IsType<RedisTaskStore>(tasks);
        Assert.Same(tasks, host.Services.GetRequiredService<ITaskBroker>());
        Assert.Equal(MindoraTaskStatus.Queued, (await tasks.GetAsync(task.Id))?.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["mindora-tasks"].Status);
    }

    [Fact]
    public void An_embedded_connection_string_gives_the_embedded_queue()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:redis", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));

        builder.AddMindora("docs");
        using var host = builder.Build();

        Assert.IsType<EmbeddedTaskStore>(host.Services.GetRequiredService<ITaskQueue>());
    }

    [Fact]
    public void A_malformed_redis_connection_string_fails_at_registration_without_leaking_it()
    {
        var builder = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:redis", "127.0.0.1:6379,password=s3cr3t-value,bogus=1"));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraTasks());

        Assert.Contains("bogus", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_server_makes_the_tasks_health_check_unhealthy_without_leaking_the_password()
    {
        var builder = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:redis", "127.0.0.1:1,password=s3cr3t-value,connectTimeout=500"));

        builder.AddMindoraTasks();
        using var host = builder.Build();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["mindora-tasks"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.DoesNotContain("s3cr3t", entry.Description, StringComparison.Ordinal);
    }
}
