using Mindora.Hosting;

namespace Mindora.Hosting.Tests;

/// <summary>The dashboard page as a browser renders it (headless Chromium over DevTools).</summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private const string Secret = "sk-live-abcdef123456";
    private MindoraApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        var secret = builder.AddParameter("api-key", secret: true);
        builder.Configuration["Parameters:api-key"] = Secret;
        var redis = builder.AddRedis("cache");
        builder.AddExecutable("app", "sh", ".", "-c", "echo '<b>hello</b> from app'; echo \"key is $API_KEY\"; while true; do echo tick; sleep 0.5; done")
            .WithReference(redis)
            .WithEnvironment("API_KEY", secret)
            .WaitFor(redis);
        _app = await TestStack.StartHealthyAsync(builder);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [ChromiumFact]
    public async Task After_login_the_page_lists_every_resource_with_state_health_runtime_and_endpoints()
    {
        await using var browser = await HeadlessChromium.OpenAsync(new Uri(_app.DashboardUrl!, $"/login?t={_app.DashboardToken}"));

        await browser.WaitUntilAsync("document.querySelectorAll('#resources tbody tr').length === 4", "four resource rows");
        await browser.WaitUntilAsync("document.getElementById('summary').textContent === '4 resources · all healthy'", "the healthy summary");

        Assert.Equal("/", (string?)await browser.EvaluateAsync("location.pathname"));
        Assert.Equal("embedded", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=cache] .runtime').textContent"));
        Assert.Equal("running", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=cache] .state').textContent"));
        Assert.Equal("healthy", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=app] .health').textContent"));
        Assert.Equal("process", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=app] .runtime').textContent"));
        Assert.StartsWith("data: file://", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=cache] .endpoints').textContent"), StringComparison.Ordinal);
        Assert.Equal("0", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=app] .restarts').textContent"));
        Assert.NotEqual(string.Empty, (string?)await browser.EvaluateAsync("document.querySelector('tr[data-resource=app] .started').textContent"));
    }

    [ChromiumFact]
    public async Task Without_the_token_the_browser_sees_only_the_sign_in_page()
    {
        await using var browser = await HeadlessChromium.OpenAsync(_app.DashboardUrl!);

        await browser.WaitUntilAsync("document.getElementById('login-title') !== null", "the sign-in page");
        Assert.DoesNotContain("cache", await browser.GetDomAsync(), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Clicking_a_resource_streams_its_logs_as_text_and_shows_its_environment_masked()
    {
        await using var browser = await HeadlessChromium.OpenAsync(new Uri(_app.DashboardUrl!, $"/login?t={_app.DashboardToken}"));
        await browser.WaitUntilAsync("document.querySelector('tr[data-resource=app]') !== null", "the app's row");

        await browser.EvaluateAsync("document.querySelector('tr[data-resource=app]').click()");
        await browser.WaitUntilAsync("[...document.querySelectorAll('#logs div')].some(d => d.textContent.endsWith('key is ********'))", "the masked key in the logs");
        var ticks = (int?)await browser.EvaluateAsync("[...document.querySelectorAll('#logs div')].filter(d => d.textContent.endsWith('tick')).length") ?? 0;
        await browser.WaitUntilAsync($"[...document.querySelectorAll('#logs div')].filter(d => d.textContent.endsWith('tick')).length > {ticks}", "a new line arriving live");

        // The child's markup is shown as text, not rendered.
        Assert.Equal(0, (int?)await browser.EvaluateAsync("document.querySelectorAll('#logs b').length"));
        Assert.True((bool?)await browser.EvaluateAsync("[...document.querySelectorAll('#logs div')].some(d => d.textContent.endsWith('<b>hello</b> from app'))"));

        await browser.EvaluateAsync("document.getElementById('tab-env').click()");
        await browser.WaitUntilAsync("document.querySelector('tr[data-variable=API_KEY]') !== null", "the environment table");
        Assert.Equal("********", (string?)await browser.EvaluateAsync("document.querySelector('tr[data-variable=API_KEY] td.secret').textContent"));
        Assert.DoesNotContain(Secret, await browser.GetDomAsync(), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task The_restart_button_restarts_the_selected_resource()
    {
        var before = _app.Notifications.Get("app")!.ProcessId;
        await using var browser = await HeadlessChromium.OpenAsync(new Uri(_app.DashboardUrl!, $"/login?t={_app.DashboardToken}"));
        await browser.WaitUntilAsync("document.querySelector('tr[data-resource=app]') !== null", "the app's row");
        await browser.EvaluateAsync("document.querySelector('tr[data-resource=app]').click()");
        await browser.WaitUntilAsync("!document.getElementById('detail').hidden && !document.getElementById('actions').hidden", "the actions");

        await browser.EvaluateAsync("document.querySelector('[data-action=restart]').click()");

        await browser.WaitUntilAsync("document.getElementById('action-status').textContent === 'restart: done'", "the restart to finish");
        var after = await _app.Notifications.WaitForHealthyAsync("app").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEqual(before, after.ProcessId);
    }
}
