using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Messaging;
using Mindora.Integrations.Tests.Hosting;
using Mindora.Integrations.Tests.Support;
using Mindora.Testing;

namespace Mindora.Integrations.Tests.Messaging;

[Collection(SharedServers.Collection)]
public sealed class MessagingHostingTests(SharedServers servers, TempDirectory temp) : IClassFixture<TempDirectory>
{

    [Fact]
    public async Task Add_mindora_registers_messaging_when_a_rabbitmq_connection_string_is_present_and_its_health_check_passes()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:rabbitmq", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())), ("Mindora:Messaging:Prefetch", "7"));

        builder.AddMindora("docs");
        using var host = builder.Build();
        var messaging = host.Services.GetRequiredService<IMindoraMessaging>();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal("docs", messaging.App);
        Assert.Equal(7, host.Services.GetRequiredService<IOptions<MindoraMessagingOptions>>().Value.Prefetch);
        Assert.Equal(HealthStatus.Healthy, report.Entries["mindora-messaging"].Status);
    }

    [Fact]
    public async Task The_health_check_is_healthy_on_the_real_broker_and_unhealthy_when_the_broker_cannot_be_reached()
    {
        var app = await servers.CreateAppAsync(SharedServers.NewAppName());
        var healthy = HostBuilders.Create(("Mindora:App", app.App), ("ConnectionStrings:rabbitmq", app.RabbitMQ));
        healthy.AddMindoraMessaging();
        using (var host = healthy.Build())
        {
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, report.Entries["mindora-messaging"].Status);
        }

        var unreachable = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:rabbitmq", "amqp://docs:s3cr3t-value@127.0.0.1:1"));
        unreachable.AddMindoraMessaging();
        using (var host = unreachable.Build())
        {
            var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["mindora-messaging"];
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.DoesNotContain("s3cr3t-value", entry.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_malformed_connection_string_fails_at_registration_without_leaking_it()
    {
        var builder = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:rabbitmq", "http://docs:s3cr3t-value@host"));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraMessaging());

        Assert.DoesNotContain("s3cr3t-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mindora_client_serves_messaging_from_the_rabbitmq_connection_string()
    {
        await using var client = MindoraClient.Create("docs", new Dictionary<string, string> { ["RabbitMQ"] = MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory()) });
        var queue = client.Messaging.AppQueue("internal_tasks");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var consumer = await client.Messaging.ConsumeAsync<string>(queue, (m, _) => { received.TrySetResult(m.Body); return Task.CompletedTask; });

        await client.Messaging.SendAsync(queue, "hello");

        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
