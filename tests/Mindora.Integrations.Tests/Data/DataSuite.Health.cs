using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mindora.Integrations.Tests.Data;

public abstract partial class DataSuite
{
    [Fact]
    public async Task Health_check_is_healthy_and_tagged_ready_on_a_usable_database()
    {
        await using var host = await StartAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = Assert.Single(report.Entries).Value;
        Assert.Equal("mindora-data", Assert.Single(report.Entries).Key);
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("ready", entry.Tags);
    }

    [Fact]
    public async Task Health_check_is_unhealthy_when_the_database_cannot_be_used()
    {
        await using var host = await DataHost.StartAsync(await UnusableTargetAsync(), migrate: false);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["mindora-data"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsType<MindoraUnavailableException>(entry.Exception);
    }
}
