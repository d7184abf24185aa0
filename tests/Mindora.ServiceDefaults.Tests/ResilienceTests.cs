using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Mindora.ServiceDefaults.Http;
using Mindora.ServiceDefaults.Tests.Support;
using Polly.CircuitBreaker;

namespace Mindora.ServiceDefaults.Tests;

public sealed class ResilienceTests
{
    [Fact]
    public async Task Get_is_retried_after_503_until_it_succeeds()
    {
        await using var server = await LoopbackServer.StartAsync(hit => hit <= 2 ? 503 : 200);
        using var host = ClientHost.Create(ClientHost.FastResilience());

        using var response = await host.CreateClient().GetAsync(new Uri(server.BaseAddress, "/flaky"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, server.Hits);
    }

    [Fact]
    public async Task Post_is_not_retried_by_default()
    {
        await using var server = await LoopbackServer.StartAsync(_ => 503);
        using var host = ClientHost.Create(ClientHost.FastResilience());

        using var content = new StringContent("order");
        using var response = await host.CreateClient().PostAsync(new Uri(server.BaseAddress, "/orders"), content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, server.Hits);
    }

    [Fact]
    public async Task Post_retried_when_allowed_sends_the_whole_body_every_attempt()
    {
        var bodies = new List<string>();
        await using var server = await LoopbackServer.StartAsync(async (context, hit) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            lock (bodies)
            {
                bodies.Add(body);
            }

            context.Response.StatusCode = hit == 1 ? 503 : 200;
        });
        using var host = ClientHost.Create(ClientHost.FastResilience(retryPost: true));

        // A non-seekable stream can be read once; the handler must buffer it to send it twice.
        using var stream = new OneWayStream("line one\nline two"u8.ToArray());
        using var content = new StreamContent(stream);
        using var response = await host.CreateClient().PostAsync(new Uri(server.BaseAddress, "/upload"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["line one\nline two", "line one\nline two"], bodies);
    }

    [Fact]
    public async Task Retry_after_header_sets_the_delay_before_the_next_attempt()
    {
        await using var server = await LoopbackServer.StartAsync((context, hit) =>
        {
            if (hit == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
            }

            return Task.CompletedTask;
        });
        using var host = ClientHost.Create(ClientHost.FastResilience());

        using var response = await host.CreateClient().GetAsync(new Uri(server.BaseAddress, "/limited"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var times = server.HitTimes;
        Assert.Equal(2, times.Count);
        // The backoff alone would wait 10 ms; Retry-After asked for a second.
        Assert.InRange(times[1] - times[0], TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Slow_attempt_times_out_and_the_retry_succeeds()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, hit) =>
        {
            if (hit == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }

            await context.Response.WriteAsync("fast", context.RequestAborted);
        });
        using var host = ClientHost.Create(ClientHost.FastResilience(attemptTimeout: "00:00:00.300"));

        var stopwatch = Stopwatch.StartNew();
        var body = await host.CreateClient().GetStringAsync(new Uri(server.BaseAddress, "/slow"));

        Assert.Equal("fast", body);
        Assert.Equal(2, server.Hits);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_later_requests_fail_fast()
    {
        await using var server = await LoopbackServer.StartAsync(_ => 500);
        var settings = ClientHost.FastResilience(retries: 0);
        settings["Mindora:Http:Resilience:CircuitBreaker:FailureRatio"] = "0.5";
        settings["Mindora:Http:Resilience:CircuitBreaker:MinimumThroughput"] = "3";
        settings["Mindora:Http:Resilience:CircuitBreaker:SamplingDuration"] = "00:00:30";
        settings["Mindora:Http:Resilience:CircuitBreaker:BreakDuration"] = "00:00:30";
        using var host = ClientHost.Create(settings);
        using var client = host.CreateClient();
        var uri = new Uri(server.BaseAddress, "/broken");

        for (var i = 0; i < 3; i++)
        {
            using var failed = await client.GetAsync(uri);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        var error = await Assert.ThrowsAsync<HttpCircuitOpenException>(() => client.GetAsync(uri));

        Assert.IsAssignableFrom<BrokenCircuitException>(error);
        Assert.Equal($"http://{server.BaseAddress.Authority}", error.Endpoint);
        Assert.Contains("circuit", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, server.Hits);
    }

    /// <summary>A stream that can be read once, front to back, like a network upload.</summary>
    private sealed class OneWayStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
