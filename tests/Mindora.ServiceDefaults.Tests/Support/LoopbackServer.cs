using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mindora.ServiceDefaults.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port, answering every request with
/// <c>respond(context, hitNumber)</c> and counting hits.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<TimeSpan> hitTimes = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int hits;

    private LoopbackServer(Func<HttpContext, int, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.Run(context =>
        {
            var hit = Interlocked.Increment(ref hits);
            hitTimes.Enqueue(clock.Elapsed);
            return respond(context, hit);
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Hits => Volatile.Read(ref hits);

    /// <summary>When each request arrived, measured from the server's start.</summary>
    public IReadOnlyList<TimeSpan> HitTimes => [.. hitTimes];

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> respond)
    {
        var server = new LoopbackServer(respond);
        await server.app.StartAsync();
        server.BaseAddress = new Uri(server.app.Urls.Single());
        return server;
    }

    /// <summary>Answers with the status, and the request's path and query as the body.</summary>
    public static Task<LoopbackServer> StartAsync(Func<int, int> statusForHit) =>
        StartAsync((context, hit) =>
        {
            context.Response.StatusCode = statusForHit(hit);
            return context.Response.WriteAsync(context.Request.Path + context.Request.QueryString, context.RequestAborted);
        });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
