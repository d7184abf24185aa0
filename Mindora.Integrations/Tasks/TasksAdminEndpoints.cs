using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindora.Integrations;
using Mindora.Integrations.Tasks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The app's tasks as the AppHost dashboard shows them: <c>GET /mindora/tasks</c> (queue depths,
/// running, recent, failed and canceled tasks) and <c>POST /mindora/tasks/{id}/retry|cancel</c>.
/// Only a caller holding the admin token the AppHost gives this run of the app
/// (<c>Mindora:Admin:Token</c>, as <c>Authorization: Bearer …</c>) gets an answer; without a
/// configured token the endpoints answer 404, so an app run outside the AppHost exposes nothing.
/// </summary>
public static class TasksAdminEndpoints
{
    /// <summary>The configuration key of the admin token (environment <c>Mindora__Admin__Token</c>).</summary>
    public const string TokenKey = "Mindora:Admin:Token";

    /// <summary>The path the endpoints live under.</summary>
    public const string BasePath = "/mindora/tasks";

    private const int MaxLimit = 200;
    private const int MinTokenLength = 32;

    /// <summary>Maps the tasks admin endpoints of the app's <see cref="ITaskQueue"/> (needs <c>AddMindoraTasks</c> or <c>AddMindora</c>).</summary>
    public static IEndpointRouteBuilder MapMindoraTasks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(BasePath).AddEndpointFilter(async (context, next) =>
            Authorize(context.HttpContext) is { } refused ? refused : await next(context));

        group.MapGet("/", async (HttpContext http, int? limit, CancellationToken cancellationToken) =>
        {
            if (http.RequestServices.GetService<ITaskQueue>() is not { } tasks)
            {
                return NoTasks();
            }

            var take = Math.Clamp(limit ?? 20, 1, MaxLimit);
            async Task<IReadOnlyList<TaskSummary>> List(MindoraTaskStatus status) =>
                (await tasks.ListAsync(status, take, cancellationToken)).Select(TaskSummary.From).ToList();
            return Results.Ok(new TasksOverview(
                await tasks.GetQueueDepthsAsync(cancellationToken),
                await List(MindoraTaskStatus.Running),
                await List(MindoraTaskStatus.Queued),
                await List(MindoraTaskStatus.Failed),
                await List(MindoraTaskStatus.Succeeded),
                await List(MindoraTaskStatus.Canceled)));
        });

        group.MapPost("/{id}/{action}", async (HttpContext http, string id, string action, CancellationToken cancellationToken) =>
        {
            if (http.RequestServices.GetService<ITaskQueue>() is not { } tasks)
            {
                return NoTasks();
            }

            Func<string, CancellationToken, Task<bool>>? run = action switch
            {
                "retry" => tasks.RetryAsync,
                "cancel" => tasks.CancelAsync,
                _ => null,
            };
            if (run is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action", detail: "Allowed actions: retry, cancel.");
            }

            try
            {
                if (await tasks.GetAsync(id, cancellationToken) is not { } task)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such task", detail: $"This app has no task '{id}'.");
                }

                return await run(id, cancellationToken)
                    ? Results.Ok(TaskSummary.From((await tasks.GetAsync(id, cancellationToken))!))
                    : Results.Problem(
                        statusCode: StatusCodes.Status409Conflict,
                        title: "Not possible now",
                        detail: action == "retry"
                            ? $"Task '{id}' is {task.Status}; only failed or canceled tasks can be retried."
                            : $"Task '{id}' is {task.Status}; only queued, scheduled or deferred tasks can be canceled.");
            }
            catch (MindoraValidationException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid task id", detail: e.Message);
            }
        });

        return endpoints;
    }

    // Resolved per request: an app whose connection strings give it no tasks still starts.
    private static IResult NoTasks() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No tasks", detail: "This app has no task queue (no connection string for Tasks).");

    private static IResult? Authorize(HttpContext context)
    {
        var expected = context.RequestServices.GetRequiredService<IConfiguration>()[TokenKey];
        if (expected is null || expected.Length < MinTokenLength)
        {
            return Results.NotFound();
        }

        var header = context.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : string.Empty;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? null
            : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Send the admin token of this run (Authorization: Bearer TOKEN).");
    }
}
