using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;

namespace DocumentProcessor.Tests;

/// <summary>One event as a browser's EventSource parses it (comments kept apart).</summary>
public sealed record SseEvent(string? Id, string Event, string Data);

/// <summary>
/// Reads <c>GET /notifications</c> like a browser: opens the stream, parses events and comments
/// in the background, and lets tests wait for what they expect with a deadline.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reading = Task.Run(() => ReadAsync(body));
    }

    public ConcurrentQueue<SseEvent> Events { get; } = new();

    public ConcurrentQueue<string> Comments { get; } = new();

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>Connects and waits for the server's first comment (the subscription is then active).</summary>
    public static async Task<SseClient> ConnectAsync(HttpClient client, string? lastEventId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/notifications", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            // Read only on failure: a stream's body never ends.
            Assert.Fail($"GET /notifications answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var sse = new SseClient(response, await response.Content.ReadAsStreamAsync());
        await sse.WaitForAsync(s => s.Comments.Contains("connected"), "the stream to open");
        return sse;
    }

    public async Task WaitForAsync(Func<SseClient, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition(this))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; events so far: {string.Join(" | ", Events)}; reading: {_reading.Status} {_reading.Exception?.GetBaseException().Message}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed under the reader.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(Stream body)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? id = null;
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || name is not null)
                {
                    Events.Enqueue(new SseEvent(id, name ?? "message", data.ToString()));
                }

                (id, name) = (null, null);
                data.Clear();
            }
            else if (line[0] == ':')
            {
                Comments.Enqueue(line[1..].Trim());
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
    }
}
