using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mindora.Hosting.Dashboard;

/// <summary>
/// The Tasks view's API: <c>GET /api/tasks</c> (per app resource: queue depths, running, queued,
/// failed, succeeded and canceled tasks) and <c>POST /api/tasks/{resource}/{id}/retry|cancel</c>,
/// both passed on to the app's own admin endpoint.
/// </summary>
internal static class DashboardTasksApi
{
    private static readonly string[] Actions = ["retry", "cancel"];

    public static void Map(IEndpointRouteBuilder app, AppTasksClient tasks)
    {
        app.MapGet("/api/tasks", async (CancellationToken cancellationToken) => Results.Ok(await tasks.GetAllAsync(cancellationToken).ConfigureAwait(false)));

        app.MapPost("/api/tasks/{resource}/{id}/{action}", async (HttpContext context, string resource, string id, string action) =>
        {
            if (!context.Request.Headers.ContainsKey(DashboardApi.ActionHeader))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing header", detail: $"Send the header {DashboardApi.ActionHeader}: 1 with actions.");
            }

            if (!Actions.Contains(action, StringComparer.Ordinal))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action", detail: "Allowed actions: retry, cancel.");
            }

            return await tasks.ActAsync(resource, id, action, context.RequestAborted).ConfigureAwait(false) is { } answer
                ? Results.Content(answer.Body, answer.ContentType, statusCode: (int)answer.Status)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such app", detail: $"There is no running resource named '{resource}' with an HTTP endpoint.");
        });
    }
}
