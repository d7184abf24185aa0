using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindora.ServiceDefaults.ServiceDiscovery;
using Mindora.ServiceDefaults.Tests.Support;

namespace Mindora.ServiceDefaults.Tests;

public sealed class ServiceDiscoveryTests
{
    [Fact]
    public async Task Request_to_service_name_goes_to_configured_endpoint()
    {
        await using var docsApi = await LoopbackServer.StartAsync(_ => 200);
        using var host = ClientHost.Create(new Dictionary<string, string?>
        {
            ["services:docs-api:http:0"] = docsApi.BaseAddress.ToString(),
        });

        var body = await host.CreateClient().GetStringAsync(new Uri("http://docs-api/documents/42?lang=en&page=2"));

        Assert.Equal("/documents/42?lang=en&page=2", body);
        Assert.Equal(1, docsApi.Hits);
    }

    [Fact]
    public async Task Https_plus_http_falls_back_to_http_when_no_https_endpoint_is_configured()
    {
        await using var docsApi = await LoopbackServer.StartAsync(_ => 200);
        using var host = ClientHost.Create(new Dictionary<string, string?>
        {
            ["services:docs-api:http:0"] = docsApi.BaseAddress.ToString(),
        });

        using var client = host.CreateClient();
        client.BaseAddress = new Uri("https+http://docs-api");
        var body = await client.GetStringAsync(new Uri("/search?q=x", UriKind.Relative));

        Assert.Equal("/search?q=x", body);
        Assert.Equal(1, docsApi.Hits);
    }

    [Fact]
    public async Task Https_plus_http_prefers_the_https_endpoint()
    {
        var resolver = CreateResolver(new()
        {
            ["services:docs-api:http:0"] = "http://127.0.0.1:5001",
            ["services:docs-api:https:0"] = "https://127.0.0.1:5002",
        });

        var resolved = await resolver.ResolveAsync(new Uri("https+http://docs-api/a/b?c=d"));

        Assert.Equal(new Uri("https://127.0.0.1:5002/a/b?c=d"), resolved);
    }

    [Fact]
    public async Task Named_endpoint_in_host_uses_that_endpoint()
    {
        await using var http = await LoopbackServer.StartAsync(_ => 200);
        await using var admin = await LoopbackServer.StartAsync(_ => 200);
        using var host = ClientHost.Create(new Dictionary<string, string?>
        {
            ["services:docs-api:http:0"] = http.BaseAddress.ToString(),
            ["services:docs-api:admin:0"] = admin.BaseAddress.ToString(),
        });

        var body = await host.CreateClient().GetStringAsync(new Uri("http://_admin.docs-api/reindex?all=true"));

        Assert.Equal("/reindex?all=true", body);
        Assert.Equal(1, admin.Hits);
        Assert.Equal(0, http.Hits);
    }

    [Fact]
    public async Task Host_that_is_not_a_configured_service_passes_through_unchanged()
    {
        await using var direct = await LoopbackServer.StartAsync(_ => 200);
        using var host = ClientHost.Create(new Dictionary<string, string?>
        {
            ["services:docs-api:http:0"] = "http://127.0.0.1:1",
        });

        var body = await host.CreateClient().GetStringAsync(new Uri(direct.BaseAddress, "/plain?x=1"));

        Assert.Equal("/plain?x=1", body);
        Assert.Equal(1, direct.Hits);
    }

    [Fact]
    public async Task Synchronous_send_is_resolved_too()
    {
        await using var docsApi = await LoopbackServer.StartAsync(_ => 200);
        using var host = ClientHost.Create(new Dictionary<string, string?>
        {
            ["services:docs-api:http:0"] = docsApi.BaseAddress.ToString(),
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://docs-api/sync?x=1"));
        using var response = host.CreateClient().Send(request);

        Assert.Equal("/sync?x=1", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, docsApi.Hits);
    }

    [Fact]
    public async Task Bare_host_and_port_takes_the_requested_scheme()
    {
        var resolver = CreateResolver(new() { ["services:cache:http:0"] = "localhost:6380" });

        var resolved = await resolver.ResolveAsync(new Uri("http://cache/keys"));

        Assert.Equal(new Uri("http://localhost:6380/keys"), resolved);
    }

    [Fact]
    public async Task Configured_service_without_the_requested_endpoint_fails_with_a_clear_message()
    {
        var resolver = CreateResolver(new() { ["services:docs-api:http:0"] = "http://127.0.0.1:5001" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await resolver.ResolveAsync(new Uri("https://docs-api/x")));

        Assert.Contains("services:docs-api:https:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("http", error.Message, StringComparison.Ordinal);
    }

    private static IServiceEndpointResolver CreateResolver(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddServiceDiscovery()
            .BuildServiceProvider()
            .GetRequiredService<IServiceEndpointResolver>();
    }
}
