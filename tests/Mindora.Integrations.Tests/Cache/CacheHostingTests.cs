using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mindora.Integrations.Cache;
using Mindora.Integrations.Tests.Hosting;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Cache;

public sealed class CacheHostingTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Add_mindora_registers_the_cache_and_replaces_the_distributed_cache_when_redis_is_present()
    {
        var builder = HostBuilders.Create(("ConnectionStrings:redis", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())));
        builder.Services.AddDistributedMemoryCache();

        builder.AddMindora("docs");
        using var host = builder.Build();
        var cache = host.Services.GetRequiredService<IMindoraCache>();
        await cache.SetAsync("greeting", "hello");

        Assert.Equal("hello", await cache.GetAsync<string>("greeting"));
        Assert.IsType<MindoraDistributedCache>(host.Services.GetRequiredService<IDistributedCache>());
        Assert.Single(host.Services.GetServices<IDistributedCache>());
    }

    [Fact]
    public void Options_and_the_database_split_are_bound_from_configuration_and_the_configure_delegate()
    {
        var builder = HostBuilders.Create(
            ("Mindora:App", "docs"),
            ("ConnectionStrings:cache", MindoraConnectionString.ForEmbedded(temp.NewStoreDirectory())),
            ("Mindora:Cache:Databases:Sessions", "5"),
            ("Mindora:Cache:DefaultTimeToLive", "00:10:00"));

        builder.AddMindoraCache("cache", o => o.MaxKeyBytes = 300);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<MindoraCacheOptions>>().Value;

        Assert.Equal((0, 5, 2, 3), (options.Databases.Cache, options.Databases.Sessions, options.Databases.Config, options.Databases.Queues));
        Assert.Equal(TimeSpan.FromMinutes(10), options.DefaultTimeToLive);
        Assert.Equal(300, options.MaxKeyBytes);
    }

    [Fact]
    public void A_malformed_redis_connection_string_fails_at_registration_without_leaking_it()
    {
        var builder = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:redis", "127.0.0.1:6379,password=s3cr3t-value,bogus=1"));

        var error = Assert.Throws<MindoraConfigurationException>(() => builder.AddMindoraCache());

        Assert.Contains("bogus", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_server_makes_the_health_check_unhealthy()
    {
        var builder = HostBuilders.Create(("Mindora:App", "docs"), ("ConnectionStrings:redis", "127.0.0.1:1,password=s3cr3t-value,connectTimeout=500"));

        builder.AddMindoraCache();
        using var host = builder.Build();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["mindora-cache"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsType<MindoraUnavailableException>(entry.Exception);
        Assert.DoesNotContain("s3cr3t", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AspNetCore_session_state_lives_in_the_cache_and_is_shared_by_two_processes()
    {
        var store = temp.NewStoreDirectory();
        var keys = temp.NewStoreDirectory();
        await using var first = await StartWebAppAsync(store, builder => UseSessions(builder, keys), MapSessionEndpoints);
        await using var second = await StartWebAppAsync(store, builder => UseSessions(builder, keys), MapSessionEndpoints);
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var http = new HttpClient(handler);

        var stored = await http.GetStringAsync(new Uri(Url(first), "/set?value=remembered"));
        var read = await http.GetStringAsync(new Uri(Url(second), "/get"));

        Assert.Equal("stored", stored);
        Assert.Equal("remembered", read);
    }

    [Fact]
    public async Task AspNetCore_output_caching_is_shared_by_two_processes_and_evicting_a_tag_renders_again()
    {
        var store = temp.NewStoreDirectory();
        var renders = 0;
        void MapCounter(WebApplication app)
        {
            app.UseOutputCache();
            app.MapGet("/renders", () => Interlocked.Increment(ref renders).ToString(CultureInfo.InvariantCulture)).CacheOutput(p => p.Expire(TimeSpan.FromMinutes(5)).Tag("renders"));
        }

        await using var first = await StartWebAppAsync(store, builder => builder.Services.AddOutputCache(), MapCounter);
        await using var second = await StartWebAppAsync(store, builder => builder.Services.AddOutputCache(), MapCounter);
        using var http = new HttpClient();

        Assert.IsType<MindoraOutputCacheStore>(first.Services.GetRequiredService<IOutputCacheStore>());
        Assert.Equal("1", await GetRendersAsync(http, first));
        Assert.Equal("1", await GetRendersAsync(http, second));
        await first.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync("renders", default);
        Assert.Equal("2", await GetRendersAsync(http, second));
        Assert.Equal("2", await GetRendersAsync(http, first));
    }

    // Output caching keys by host: both instances answer for one name, as behind a load balancer.
    private static async Task<string> GetRendersAsync(HttpClient http, WebApplication app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url(app), "/renders"));
        request.Headers.Host = "docs.example";
        using var response = await http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    private static void UseSessions(WebApplicationBuilder builder, string keys)
    {
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys)).SetApplicationName("docs");
        builder.Services.AddSession();
    }

    private static void MapSessionEndpoints(WebApplication app)
    {
        app.UseSession();
        app.MapGet("/set", async (HttpContext context, string value) =>
        {
            context.Session.SetString("value", value);
            await context.Session.CommitAsync();
            return "stored";
        });
        app.MapGet("/get", async (HttpContext context) =>
        {
            await context.Session.LoadAsync();
            return context.Session.GetString("value") ?? "(none)";
        });
    }

    // A web app of app "docs" on the embedded cache in <paramref name="store"/>: another process of the same app.
    private static async Task<WebApplication> StartWebAppAsync(string store, Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:redis"] = MindoraConnectionString.ForEmbedded(store);
        builder.AddMindora("docs");
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    private static Uri Url(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
}
