using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mindora.Hosting;

namespace Mindora.Hosting.Tests;

public sealed class DashboardApiTests : IAsyncLifetime
{
    private MindoraApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        var secret = builder.AddParameter("api-key", secret: true);
        builder.Configuration["Parameters:api-key"] = "sk-live-abcdef123456";
        var redis = builder.AddRedis("cache");
        builder.AddExecutable("app", "sh", ".", "-c", "echo hello from app; echo \"key is $API_KEY\"; exec sleep 60")
            .WithReference(redis)
            .WithEnvironment("API_KEY", secret)
            .WithEnvironment("PLAIN", "visible")
            .WaitFor(redis);
        _app = await TestStack.StartHealthyAsync(builder);
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _app.DashboardUrl };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private HttpRequestMessage Authorized(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _app.DashboardToken);
        return request;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/resources")]
    [InlineData("/api/resources/app/logs")]
    public async Task Without_the_token_page_and_API_answer_401(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cache", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "0000");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Login_with_the_token_sets_an_HttpOnly_cookie_and_redirects_to_the_page()
    {
        using var response = await _client.GetAsync(new Uri($"/login?t={_app.DashboardToken}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var pageResponse = await _client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.Contains("Mindora dashboard", await pageResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resources_list_every_resource_with_kind_runtime_state_health_endpoints_and_start_time()
    {
        using var response = await _client.SendAsync(Authorized("/api/resources"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var resources = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["api-key", "cache", "cache-password", "app"], resources.Keys);
        var cache = resources["cache"];
        Assert.Equal("redis", cache.GetProperty("kind").GetString());
        Assert.Equal("embedded", cache.GetProperty("runtime").GetString());
        Assert.Equal("running", cache.GetProperty("state").GetString());
        Assert.Equal("healthy", cache.GetProperty("health").GetString());
        Assert.StartsWith("file://", cache.GetProperty("endpoints")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, cache.GetProperty("restarts").GetInt32());
        Assert.True(cache.GetProperty("startedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal("process", resources["app"].GetProperty("runtime").GetString());
        Assert.False(resources["app"].TryGetProperty("environment", out _));
    }

    [Fact]
    public async Task A_resource_shows_its_environment_with_secrets_masked()
    {
        using var response = await _client.SendAsync(Authorized("/api/resources/app"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("sk-live-abcdef123456", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var environment = json.RootElement.GetProperty("environment").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("********", environment["API_KEY"].GetProperty("value").GetString());
        Assert.True(environment["API_KEY"].GetProperty("isSecret").GetBoolean());
        Assert.Equal("visible", environment["PLAIN"].GetProperty("value").GetString());
        Assert.StartsWith("Embedded=", environment["ConnectionStrings__cache"].GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_return_recent_lines_with_secrets_masked()
    {
        await TestStack.EventuallyAsync(() => _app.Logs.GetRecent("app").Any(l => l.Text.StartsWith("key is", StringComparison.Ordinal)), "the app's output");

        using var response = await _client.SendAsync(Authorized("/api/resources/app/logs"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("hello from app", body, StringComparison.Ordinal);
        Assert.Contains("key is ********", body, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-abcdef123456", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_stream_sends_buffered_lines_as_server_sent_events()
    {
        using var request = Authorized("/api/resources/app/logs/stream");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var sawHello = false;
        while (!sawHello && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            sawHello = line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("hello from app", StringComparison.Ordinal);
        }

        Assert.True(sawHello);
    }

    [Fact]
    public async Task An_unknown_resource_is_a_404_problem()
    {
        using var response = await _client.SendAsync(Authorized("/api/resources/nope/logs"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private HttpRequestMessage Action(string resource, string action, bool withHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/resources/{resource}/{action}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _app.DashboardToken);
        if (withHeader)
        {
            request.Headers.Add("X-Mindora-Dashboard", "1");
        }

        return request;
    }

    [Fact]
    public async Task Stop_start_and_restart_act_on_the_resource()
    {
        var firstPid = _app.Notifications.Get("app")!.ProcessId!.Value;

        using (var stop = await _client.SendAsync(Action("app", "stop")))
        {
            Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        }

        Assert.Equal(ResourceState.Stopped, _app.Notifications.Get("app")!.State);
        Assert.False(TestStack.ProcessExists(firstPid));

        using (var start = await _client.SendAsync(Action("app", "start")))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var started = await _app.Notifications.WaitForHealthyAsync("app").WaitAsync(TimeSpan.FromSeconds(20));
        using (var again = await _client.SendAsync(Action("app", "start")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var restart = await _client.SendAsync(Action("app", "restart")))
        {
            Assert.Equal(HttpStatusCode.Accepted, restart.StatusCode);
        }

        var restarted = await _app.Notifications.WaitForHealthyAsync("app").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEqual(started.ProcessId, restarted.ProcessId);
        Assert.Contains(_app.Logs.GetRecent("app"), l => l.Text == "Started from the dashboard.");
    }

    [Fact]
    public async Task Actions_need_the_dashboard_header_and_a_controllable_resource()
    {
        using var noHeader = await _client.SendAsync(Action("app", "stop", withHeader: false));
        using var parameter = await _client.SendAsync(Action("api-key", "stop"));
        using var unknownAction = await _client.SendAsync(Action("app", "explode"));
        using var unknownResource = await _client.SendAsync(Action("nope", "stop"));

        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, parameter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAction.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownResource.StatusCode);
        Assert.True(_app.Notifications.Get("app")!.IsHealthy);
    }
}
