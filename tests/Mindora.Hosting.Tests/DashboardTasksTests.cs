using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mindora.Hosting.ApplicationModel;
using Mindora.Integrations;
using Mindora.Integrations.Tasks;

namespace Mindora.Hosting.Tests;

/// <summary>
/// The dashboard's Tasks view over a real app process (tests/Mindora.TasksApp, app "jobs") whose
/// tasks live in an embedded store; the test reaches the same store through the SDK, as another
/// process of the app would, to make a task fail.
/// </summary>
public sealed class DashboardTasksTests : IAsyncLifetime
{
    private MindoraApplication _app = null!;
    private MindoraClient _jobs = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = TestStack.CreateBuilder("--runtime", "embedded");
        var store = builder.AddRedis("tasks");
        builder.AddExecutable("jobs", "dotnet", AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "Mindora.TasksApp.dll"))
            .WithMindoraApp("jobs")
            .WithHttpEndpoint()
            .WithReference(store)
            .WaitFor(store);
        builder.AddExecutable("plain", "sh", ".", "-c", "exec sleep 120").WithHttpEndpoint();
        _app = await TestStack.StartHealthyAsync(builder);
        var connection = (await store.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run))!;
        _jobs = MindoraClient.Create("jobs", new Dictionary<string, string> { ["redis"] = connection });
        _client = new HttpClient { BaseAddress = _app.DashboardUrl };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _app.DashboardToken);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _jobs.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_tasks_API_shows_the_apps_failed_task_and_retry_through_the_dashboard_queues_it_again()
    {
        var failed = await FailedTaskAsync("disk full on /data");

        var apps = await WaitForTasksAsync(a => a.GetProperty("tasks").GetProperty("failed").GetArrayLength() == 1);
        var jobs = Assert.Single(apps.EnumerateArray());
        Assert.Equal("jobs", jobs.GetProperty("resource").GetString());
        var shown = jobs.GetProperty("tasks").GetProperty("failed")[0];
        Assert.Equal((failed.Id, "disk full on /data"), (shown.GetProperty("id").GetString(), shown.GetProperty("error").GetString()));

        using var withoutHeader = await _client.PostAsync(new Uri($"/api/tasks/jobs/{failed.Id}/retry", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        using var unknownApp = await PostAsync($"/api/tasks/nope/{failed.Id}/retry");
        Assert.Equal(HttpStatusCode.NotFound, unknownApp.StatusCode);
        using var retried = await PostAsync($"/api/tasks/jobs/{failed.Id}/retry");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal((MindoraTaskStatus.Queued, 0), ((await _jobs.Tasks.GetAsync(failed.Id))?.Status, (await _jobs.Tasks.GetAsync(failed.Id))?.Attempts));
        using var again = await PostAsync($"/api/tasks/jobs/{failed.Id}/retry");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var canceled = await PostAsync($"/api/tasks/jobs/{failed.Id}/cancel");
        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal(MindoraTaskStatus.Canceled, (await _jobs.Tasks.GetAsync(failed.Id))?.Status);
    }

    [Fact]
    public async Task The_admin_token_is_masked_in_the_environment_and_the_app_refuses_callers_without_it()
    {
        using var detail = await _client.GetAsync(new Uri("/api/resources/jobs", UriKind.Relative));
        var body = await detail.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var variable = json.RootElement.GetProperty("environment").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "Mindora__Admin__Token");
        Assert.Equal((ValueResolutionContext.Mask, true), (variable.GetProperty("value").GetString(), variable.GetProperty("isSecret").GetBoolean()));
        Assert.DoesNotContain(_app.AdminToken, body, StringComparison.Ordinal);
        var apps = await WaitForTasksAsync(_ => true);
        Assert.DoesNotContain(_app.AdminToken, apps.GetRawText(), StringComparison.Ordinal);

        var appUrl = _app.Notifications.Get("jobs")!.Endpoints.Single().Url;
        using var direct = new HttpClient { BaseAddress = new Uri(appUrl) };
        using var anonymous = await direct.GetAsync(new Uri("/mindora/tasks", UriKind.Relative));
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _app.DashboardToken);
        using var dashboardToken = await direct.GetAsync(new Uri("/mindora/tasks", UriKind.Relative));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (anonymous.StatusCode, dashboardToken.StatusCode));
    }

    [ChromiumFact]
    public async Task The_page_shows_a_failed_task_with_its_error_and_its_retry_button_queues_it_again()
    {
        var failed = await FailedTaskAsync("<b>boom</b> in parser");
        await using var browser = await HeadlessChromium.OpenAsync(new Uri(_app.DashboardUrl!, $"/login?t={_app.DashboardToken}"));

        var row = $"document.querySelector('[data-app=jobs] tr[data-task=\"{failed.Id}\"]')";
        await browser.WaitUntilAsync($"{row} !== null", "the failed task's row", timeoutSeconds: 40);
        Assert.Equal("failed", (string?)await browser.EvaluateAsync($"{row}.querySelector('.task-state').textContent"));
        Assert.Equal("<b>boom</b> in parser", (string?)await browser.EvaluateAsync($"{row}.querySelector('.task-error').textContent"));
        Assert.Equal(0, (int?)await browser.EvaluateAsync("document.querySelectorAll('.task-error b').length"));

        await browser.EvaluateAsync($"{row}.querySelector('[data-task-action=retry]').click()");

        await browser.WaitUntilAsync("document.getElementById('task-status').textContent === 'retry: done'", "the retry to finish");
        await browser.WaitUntilAsync($"{row} !== null && {row}.querySelector('.task-state').textContent === 'queued'", "the task shown queued");
        await browser.WaitUntilAsync("document.querySelector('[data-app=jobs] tr[data-queue=imports] .default').textContent === '1'", "the queue depth");
        Assert.Equal(MindoraTaskStatus.Queued, (await _jobs.Tasks.GetAsync(failed.Id))?.Status);
        Assert.DoesNotContain(_app.AdminToken, await browser.GetDomAsync(), StringComparison.Ordinal);
    }

    private async Task<TaskInfo> FailedTaskAsync(string error)
    {
        var task = await _jobs.Tasks.EnqueueAsync("import", new { File = "a.csv" }, new EnqueueOptions { MaxAttempts = 1, Queue = "imports" });
        var lease = await _jobs.Broker.TryClaimAsync(["imports"], "test-worker", TimeSpan.FromMinutes(1));
        await _jobs.Broker.FailAsync(lease!, error);
        return task;
    }

    private async Task<HttpResponseMessage> PostAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Mindora-Dashboard", "1");
        return await _client.SendAsync(request);
    }

    /// <summary>The dashboard's /api/tasks once the app answers and <paramref name="until"/> holds for it.</summary>
    private async Task<JsonElement> WaitForTasksAsync(Func<JsonElement, bool> until)
    {
        JsonElement apps = default;
        await TestStack.EventuallyAsync(
            () =>
            {
                using var document = JsonDocument.Parse(_client.GetStringAsync(new Uri("/api/tasks", UriKind.Relative)).GetAwaiter().GetResult());
                apps = document.RootElement.Clone();
                return apps.EnumerateArray().Any(a => a.GetProperty("resource").GetString() == "jobs" && until(a));
            },
            "the app's tasks in the dashboard",
            timeoutSeconds: 40);
        return apps;
    }
}
