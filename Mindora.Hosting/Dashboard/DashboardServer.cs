using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mindora.Hosting.Dashboard;

/// <summary>
/// The dashboard the AppHost serves: one page (resources, live logs, environment with secrets
/// masked) and its JSON API, behind the login token unless <c>--unsecured</c>.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AppTasksClient _tasks;

    private DashboardServer(WebApplication app, AppTasksClient tasks, Uri url)
    {
        _app = app;
        _tasks = tasks;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<DashboardServer> StartAsync(
        Uri url,
        string? token,
        AppTasksClient tasks,
        ResourceNotificationService notifications,
        ResourceLoggerService logs,
        Func<string, ResourceAction, Task<ResourceActionResult>> control,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        // The AppHost reports the dashboard's address itself; Kestrel's own start-up lines would only confuse.
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url.ToString());
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default);
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });

        var app = builder.Build();
        var auth = new DashboardAuth(token);
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
            var path = context.Request.Path;
            if (auth.IsAuthorized(context) || path == "/login" || path == "/dashboard.css")
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            if (path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                await context.Response.WriteAsJsonAsync(new { error = "unauthorized", detail = "Send the login token printed by the AppHost (Authorization: Bearer TOKEN)." }, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await WriteAssetAsync(context, "login.html", "text/html; charset=utf-8").ConfigureAwait(false);
        });

        app.MapGet("/login", async (HttpContext context, string? t) =>
        {
            if (auth.IsEnabled && !auth.Matches(t))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await WriteAssetAsync(context, "login.html", "text/html; charset=utf-8").ConfigureAwait(false);
                return;
            }

            if (auth.IsEnabled)
            {
                auth.SignIn(context);
            }

            // Redirect so the token leaves the address bar and the history.
            context.Response.Redirect("/");
        });
        app.MapGet("/", (HttpContext context) => WriteAssetAsync(context, "index.html", "text/html; charset=utf-8"));
        app.MapGet("/dashboard.js", (HttpContext context) => WriteAssetAsync(context, "dashboard.js", "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", (HttpContext context) => WriteAssetAsync(context, "dashboard.css", "text/css; charset=utf-8"));
        DashboardApi.Map(app, notifications, logs, control);
        DashboardTasksApi.Map(app, tasks);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, tasks, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    private static Stream Asset(string name) =>
        typeof(DashboardServer).Assembly.GetManifestResourceStream($"Mindora.Hosting.Dashboard.Assets.{name}")
        ?? throw new InvalidOperationException($"The dashboard asset {name} is missing from the build.");

    private static async Task WriteAssetAsync(HttpContext context, string name, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-store";
        await using var stream = Asset(name);
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _tasks.Dispose();
    }
}
