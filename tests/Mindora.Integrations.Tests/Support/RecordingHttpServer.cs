using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mindora.Integrations.Tests.Support;

/// <summary>A request as it reached <see cref="RecordingHttpServer"/>.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string Body, string? ContentType, string? Authorization);

/// <summary>
/// A loopback Kestrel endpoint that records every request and answers with what <c>respond</c>
/// returns. For testing what a client sends and how it reads replies — not a stand-in for a server.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingHttpServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri Address => new(_app.Urls.First());

    public static async Task<RecordingHttpServer> StartAsync(Func<RecordedRequest, (int Status, string Json)> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingHttpServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var request = new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                await reader.ReadToEndAsync(context.RequestAborted),
                context.Request.ContentType,
                context.Request.Headers.Authorization.FirstOrDefault());
            server.Requests.Enqueue(request);
            var (status, json) = respond(request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json, context.RequestAborted);
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
