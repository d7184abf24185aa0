using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Tasks;

/// <summary>
/// <c>/mindora/tasks</c> of two real apps ("app-a" and "app-b") sharing one embedded store, each with its
/// own admin token, as the AppHost runs them.
/// </summary>
public sealed class TasksAdminEndpointTests(TempDirectory temp) : IClassFixture<TempDirectory>, IAsyncLifetime
{
    private readonly List<WebApplication> _apps = [];
    private readonly List<HttpClient> _clients = [];
    private string _directory = string.Empty;

    public Task InitializeAsync()
    {
        _directory = temp.NewStoreDirectory();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_the_token_or_with_a_wrong_one_the_endpoint_answers_401_and_reveals_nothing()
    {
        var (a, _, tasks) = await StartAsync("app-a");
        var failed = await FailedTaskAsync(tasks, "secret-error");

        using var none = await a.GetAsync(new Uri("/mindora/tasks", UriKind.Relative));
        using var wrong = await Send(a, HttpMethod.Get, "/mindora/tasks", Token());
        using var retry = await Send(a, HttpMethod.Post, $"/mindora/tasks/{failed.Id}/retry", Token());

        Assert.All([none, wrong, retry], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.DoesNotContain("secret-error", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(MindoraTaskStatus.Failed, (await tasks.GetAsync(failed.Id))?.Status);
    }

    [Fact]
    public async Task An_app_without_an_admin_token_exposes_no_tasks_endpoint()
    {
        var (http, _, _) = await StartAsync("app-a", token: null);

        using var response = await Send(http, HttpMethod.Get, "/mindora/tasks", Token());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Overview_shows_queue_depths_and_the_failed_task_with_its_error_and_retry_queues_it_again()
    {
        var token = Token();
        var (http, _, tasks) = await StartAsync("app-a", token);
        var failed = await FailedTaskAsync(tasks, "disk full");
        var waiting = await tasks.EnqueueAsync("report", null, new EnqueueOptions { Priority = TaskPriority.High, Queue = "reports" });

        var overview = await GetOverviewAsync(http, token);
        var shown = Assert.Single(overview.Failed);
        Assert.Equal((failed.Id, "disk full", "failed", 1), (shown.Id, shown.Error, shown.Status, shown.Attempts));
        Assert.Equal([new TaskQueueDepth("reports", 1, 0, 0, 0, 0)], overview.Queues);
        Assert.Equal(waiting.Id, Assert.Single(overview.Queued).Id);

        using var retried = await Send(http, HttpMethod.Post, $"/mindora/tasks/{failed.Id}/retry", token);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("queued", (await retried.Content.ReadFromJsonAsync<TaskSummary>(JsonSerializerOptions.Web))?.Status);
        Assert.Equal((MindoraTaskStatus.Queued, 0), ((await tasks.GetAsync(failed.Id))?.Status, (await tasks.GetAsync(failed.Id))?.Attempts));
        Assert.Empty((await GetOverviewAsync(http, token)).Failed);

        using var again = await Send(http, HttpMethod.Post, $"/mindora/tasks/{failed.Id}/retry", token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var canceled = await Send(http, HttpMethod.Post, $"/mindora/tasks/{waiting.Id}/cancel", token);
        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal(MindoraTaskStatus.Canceled, (await tasks.GetAsync(waiting.Id))?.Status);
        using var unknownAction = await Send(http, HttpMethod.Post, $"/mindora/tasks/{waiting.Id}/delete", token);
        Assert.Equal(HttpStatusCode.NotFound, unknownAction.StatusCode);
    }

    [Fact]
    public async Task One_apps_endpoint_cannot_see_or_retry_another_apps_tasks_nor_accept_its_token()
    {
        var tokenA = Token();
        var tokenB = Token();
        var (httpA, _, tasksA) = await StartAsync("app-a", tokenA);
        var (httpB, _, _) = await StartAsync("app-b", tokenB);
        var failed = await FailedTaskAsync(tasksA, "only for a");

        using var retryFromB = await Send(httpB, HttpMethod.Post, $"/mindora/tasks/{failed.Id}/retry", tokenB);
        using var tokenOfA = await Send(httpB, HttpMethod.Get, "/mindora/tasks", tokenA);
        var overviewB = await GetOverviewAsync(httpB, tokenB);

        Assert.Equal(HttpStatusCode.NotFound, retryFromB.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenOfA.StatusCode);
        Assert.Empty(overviewB.Failed);
        Assert.Equal(MindoraTaskStatus.Failed, (await tasksA.GetAsync(failed.Id))?.Status);
        Assert.Single((await GetOverviewAsync(httpA, tokenA)).Failed);
    }

    private static string Token() => RandomNumberGenerator.GetHexString(64, lowercase: true);

    private static async Task<TaskInfo> FailedTaskAsync(ITaskQueue queue, string error)
    {
        var broker = (ITaskBroker)queue;
        var task = await queue.EnqueueAsync("import", new { File = "a.csv" }, new EnqueueOptions { MaxAttempts = 1, Queue = "imports" });
        await broker.FailAsync((await broker.TryClaimAsync(["imports"], "w", TimeSpan.FromMinutes(1)))!, error);
        return task;
    }

    private static async Task<TasksOverview> GetOverviewAsync(HttpClient http, string token)
    {
        using var response = await Send(http, HttpMethod.Get, "/mindora/tasks", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TasksOverview>(JsonSerializerOptions.Web))!;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private async Task<(HttpClient Http, WebApplication App, ITaskQueue Tasks)> StartAsync(string appName, string? token = "unused")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:redis"] = MindoraConnectionString.ForEmbedded(_directory);
        builder.Configuration[TasksAdminEndpoints.TokenKey] = token == "unused" ? Token() : token;
        builder.Configuration["Mindora:App"] = appName;
        builder.AddMindoraTasks();
        var app = builder.Build();
        app.MapMindoraTasks();
        await app.StartAsync();
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        _clients.Add(http);
        return (http, app, app.Services.GetRequiredService<ITaskQueue>());
    }
}
