using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mindora.ServiceDefaults.Tests.Support;

namespace Mindora.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    private static readonly Dictionary<string, string?> NoSettings = [];

    [Fact]
    public async Task Health_answers_200_Healthy_when_every_check_passes()
    {
        await using var app = await TestWebApp.StartAsync(NoSettings);
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_answers_503_without_details_when_a_check_fails()
    {
        await using var app = await TestWebApp.StartAsync(NoSettings, WithFailingDatabaseCheck);
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", body);
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Health_counts_a_degraded_check_as_failing()
    {
        await using var app = await TestWebApp.StartAsync(NoSettings, builder => builder.Services.AddHealthChecks()
            .AddCheck("slow-cache", () => HealthCheckResult.Degraded("cache is slow")));
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_ignores_checks_not_tagged_live()
    {
        await using var app = await TestWebApp.StartAsync(NoSettings, WithFailingDatabaseCheck);
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_fails_when_a_live_check_fails()
    {
        await using var app = await TestWebApp.StartAsync(NoSettings, builder => builder.Services.AddHealthChecks()
            .AddCheck("deadlock", () => HealthCheckResult.Unhealthy(), ["live"]));
        using var client = new HttpClient { BaseAddress = app.BaseAddress() };

        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static void WithFailingDatabaseCheck(WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks().AddCheck(
            "database",
            () => HealthCheckResult.Unhealthy("connection refused for Password=secret"),
            ["ready"]);
}
