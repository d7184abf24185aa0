using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mindora.Hosting.Dashboard;

/// <summary>
/// The dashboard's JSON API: <c>GET /api/resources</c>, <c>GET /api/resources/{name}</c> (with the
/// masked environment), <c>GET /api/resources/{name}/logs</c> and its Server-Sent Events stream.
/// </summary>
internal static class DashboardApi
{
    private const int DefaultLogLimit = 1000;

    /// <summary>The header every state-changing request must carry: a cross-site form cannot set it.</summary>
    public const string ActionHeader = "X-Mindora-Dashboard";

    public static void Map(IEndpointRouteBuilder app, ResourceNotificationService notifications, ResourceLoggerService logs, Func<string, ResourceAction, Task<ResourceActionResult>> control)
    {
        var api = app.MapGroup("/api/resources");

        api.MapPost("/{name}/{action}", async (HttpContext context, string name, string action) =>
        {
            if (!context.Request.Headers.ContainsKey(ActionHeader))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing header", detail: $"Send the header {ActionHeader}: 1 with actions.");
            }

            if (!Enum.TryParse<ResourceAction>(action, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action", detail: "Allowed actions: stop, start, restart.");
            }

            return await control(name, parsed).ConfigureAwait(false) switch
            {
                ResourceActionResult.Done => Results.Accepted($"/api/resources/{name}"),
                ResourceActionResult.NotFound => NotFound(name),
                ResourceActionResult.AlreadyRunning => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already running", detail: $"'{name}' runs; stop or restart it instead."),
                _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not controllable", detail: $"'{name}' is a parameter or database; stop or start its server instead."),
            };
        });

        api.MapGet("/", () => Results.Ok(notifications.Snapshots.Select(s => ResourceDto.From(s, withEnvironment: false)).ToList()));

        api.MapGet("/{name}", (string name) =>
            notifications.Get(name) is { } snapshot
                ? Results.Ok(ResourceDto.From(snapshot, withEnvironment: true))
                : NotFound(name));

        api.MapGet("/{name}/logs", (string name, long? after, int? limit) =>
        {
            if (notifications.Get(name) is null)
            {
                return NotFound(name);
            }

            var lines = logs.GetRecent(name, after ?? 0, Math.Clamp(limit ?? DefaultLogLimit, 1, ResourceLoggerService.Capacity));
            return Results.Ok(new LogPageDto(name, lines.Select(LogLineDto.From).ToList()));
        });

        api.MapGet("/{name}/logs/stream", async (HttpContext context, string name, long? after) =>
        {
            if (notifications.Get(name) is null)
            {
                await NotFound(name).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            // EventSource resends the last id it saw when it reconnects.
            var resumeFrom = long.TryParse(context.Request.Headers["Last-Event-ID"], out var lastId) ? lastId : after ?? 0;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            try
            {
                await foreach (var line in logs.FollowAsync(name, resumeFrom, context.RequestAborted).ConfigureAwait(false))
                {
                    var json = JsonSerializer.Serialize(LogLineDto.From(line), DashboardJsonContext.Default.LogLineDto);
                    await context.Response.WriteAsync($"id: {line.Sequence}\ndata: {json}\n\n", context.RequestAborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The browser went away.
            }
        });
    }

    private static IResult NotFound(string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such resource", detail: $"There is no resource named '{name}'.");
}
