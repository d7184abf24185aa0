using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mindora.Hosting.Dashboard;

/// <summary>
/// Calls the tasks admin endpoint (<c>/mindora/tasks</c>) of the running projects and executables
/// with this run's admin token. The token goes only to those resources' endpoints (never to a
/// backing server) and never into an answer of the dashboard.
/// </summary>
internal sealed class AppTasksClient(ResourceNotificationService notifications, string adminToken) : IDisposable
{
    public const string TasksPath = "mindora/tasks";

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The tasks of every running resource that serves them; those that do not (404, no answer) are left out.</summary>
    public async Task<IReadOnlyList<AppTasksDto>> GetAllAsync(CancellationToken cancellationToken)
    {
        var targets = notifications.Snapshots
            .Where(s => IsApp(s) && BaseUrl(s) is not null)
            .ToList();
        var answers = await Task.WhenAll(targets.Select(s => GetAsync(s.Name, BaseUrl(s)!, cancellationToken))).ConfigureAwait(false);
        return answers.OfType<AppTasksDto>().ToList();
    }

    /// <summary>Runs retry or cancel on a task of <paramref name="resource"/>; null when the resource is unknown or not running.</summary>
    public async Task<(HttpStatusCode Status, string Body, string ContentType)?> ActAsync(string resource, string taskId, string action, CancellationToken cancellationToken)
    {
        if (notifications.Get(resource) is not { } snapshot || !IsApp(snapshot) || BaseUrl(snapshot) is not { } baseUrl)
        {
            return null;
        }

        using var request = Request(HttpMethod.Post, new Uri(baseUrl, $"{TasksPath}/{Uri.EscapeDataString(taskId)}/{action}"));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, body, response.Content.Headers.ContentType?.ToString() ?? "application/json");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (HttpStatusCode.BadGateway, JsonSerializer.Serialize(new { title = "No answer", detail = $"'{resource}' did not answer: {e.Message}" }), "application/problem+json");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<AppTasksDto?> GetAsync(string resource, Uri baseUrl, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, new Uri(baseUrl, TasksPath));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return new AppTasksDto(resource, null, "The app refused this run's admin token (was it started by another AppHost?).");
            }

            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new AppTasksDto(resource, document.RootElement.Clone(), null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not a Mindora app, or not listening yet: it simply has no Tasks view.
            return null;
        }
    }

    private HttpRequestMessage Request(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    // Only the stack's own apps get the token: a server (Elasticsearch, MinIO, …) also has an
    // HTTP endpoint, and must never be sent it.
    private static bool IsApp(ResourceSnapshot snapshot) =>
        snapshot.State == ResourceState.Running && snapshot.Kind is "project" or "executable";

    private static Uri? BaseUrl(ResourceSnapshot snapshot) =>
        snapshot.Endpoints.Select(e => e.Url).FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal) || u.StartsWith("https://", StringComparison.Ordinal)) is { } url
            ? new Uri(url.EndsWith('/') ? url : url + "/")
            : null;
}
