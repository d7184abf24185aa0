using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace DocumentProcessor;

/// <summary>
/// <c>GET /notifications</c>: the events of <see cref="NotificationHub"/> as Server-Sent Events
/// (<c>id:</c> the message id, <c>event:</c> its name, <c>data:</c> JSON with the document id),
/// a comment every <see cref="NotificationOptions.KeepAliveInterval"/> while idle, and an
/// <c>event: dropped</c> with the count when this browser's buffer overflowed.
/// </summary>
public static class NotificationEndpoint
{
    private const int MaxEventIdLength = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the hub (one subscription per instance) and its options.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection("Notifications"))
            .Validate(o => o.BufferSize is >= 1 and <= 10_000, "Notifications:BufferSize must be between 1 and 10000.")
            .Validate(o => o.ReplayCount is >= 0 and <= 10_000, "Notifications:ReplayCount must be between 0 and 10000.")
            .Validate(o => o.KeepAliveInterval >= TimeSpan.FromSeconds(1) && o.KeepAliveInterval <= TimeSpan.FromMinutes(5), "Notifications:KeepAliveInterval must be between 00:00:01 and 00:05:00.")
            .Validate(o => o.SubscribeTimeout > TimeSpan.Zero && o.SubscribeTimeout <= TimeSpan.FromMinutes(5), "Notifications:SubscribeTimeout must be between 00:00:00.001 and 00:05:00.")
            .ValidateOnStart();
        services.AddSingleton<NotificationHub>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationHub>());
        return services;
    }

    /// <summary>Maps <c>GET /notifications</c>.</summary>
    public static WebApplication MapNotifications(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/notifications", StreamAsync);
        return app;
    }

    private static async Task StreamAsync(HttpContext context, NotificationHub hub, IOptions<NotificationOptions> options)
    {
        var aborted = context.RequestAborted;
        if (!hub.Enabled)
        {
            await DocumentApi.Problem(StatusCodes.Status503ServiceUnavailable, "Notifications unavailable", "This instance has no messaging (ConnectionStrings:rabbitmq), so there is nothing to stream.").ExecuteAsync(context);
            return;
        }

        try
        {
            await hub.WhenSubscribedAsync(aborted).WaitAsync(options.Value.SubscribeTimeout, aborted);
        }
        catch (TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            await DocumentApi.Problem(StatusCodes.Status503ServiceUnavailable, "Notifications unavailable", "The message broker cannot be reached yet; try again shortly.").ExecuteAsync(context);
            return;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies: pass each event on at once
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var connection = hub.Connect(LastEventId(context.Request), out var missed);
        try
        {
            await WriteAsync(response, "retry: 3000\n: connected\n\n", aborted);
            foreach (var notification in missed)
            {
                await WriteAsync(response, Format(notification), aborted);
            }

            await PumpAsync(response, connection, options.Value.KeepAliveInterval, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser went away; disposing the connection unregisters it.
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
            // Same, noticed by the write.
        }
    }

    // Sends what the buffer holds, a keep-alive comment when nothing came for a while, and ends
    // when the hub completes the buffer (the instance stops).
    private static async Task PumpAsync(HttpResponse response, NotificationConnection connection, TimeSpan keepAlive, CancellationToken aborted)
    {
        var text = new StringBuilder();
        while (true)
        {
            bool more;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted))
            {
                idle.CancelAfter(keepAlive);
                try
                {
                    more = await connection.Reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await WriteAsync(response, ": keep-alive\n\n", aborted);
                    continue;
                }
            }

            if (!more)
            {
                return;
            }

            text.Clear();
            while (connection.Reader.TryRead(out var notification))
            {
                text.Append(Format(notification));
            }

            // Told after the events that survived, which are the newest: the browser knows it missed older ones.
            if (connection.TakeDropped() is > 0 and var dropped)
            {
                text.Append(CultureInfo.InvariantCulture, $"event: dropped\ndata: {{\"count\":{dropped}}}\n\n");
            }

            await WriteAsync(response, text.ToString(), aborted);
        }
    }

    /// <summary>One event in the SSE wire format. Ids and names never hold line breaks (the envelope forbids control characters).</summary>
    internal static string Format(Notification notification) =>
        $"id: {notification.Id}\nevent: {notification.Event}\ndata: {JsonSerializer.Serialize(new { notification.DocumentId, notification.Status, notification.At }, Json)}\n\n";

    private static string? LastEventId(HttpRequest request)
    {
        // EventSource sends the header when it reconnects; a page may pass ?lastEventId= on its first connection.
        string? id = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["lastEventId"].FirstOrDefault();
        return id is { Length: > 0 and <= MaxEventIdLength } && !id.Any(char.IsControl) ? id : null;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
