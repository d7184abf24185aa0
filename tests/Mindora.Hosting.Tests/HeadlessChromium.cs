using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mindora.Hosting.Tests;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol: open a page, evaluate script
/// in it, wait for conditions. (--dump-dom cannot be used: the page's live log stream keeps a
/// request open, so virtual time never runs out.)
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly string _profile;
    private int _nextId;

    private HeadlessChromium(Process process, ClientWebSocket socket, string profile)
    {
        _process = process;
        _socket = socket;
        _profile = profile;
    }

    public static string? ExecutablePath { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static async Task<HeadlessChromium> OpenAsync(Uri url)
    {
        var profile = TestStack.NewTempDirectory();
        var start = new ProcessStartInfo(ExecutablePath ?? throw new InvalidOperationException("Chromium is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--remote-debugging-port=0", $"--user-data-dir={profile}", url.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            await TestStack.EventuallyAsync(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 1, "Chromium's DevTools port", 30);
            var port = File.ReadAllLines(portFile)[0].Trim();
            using var http = new HttpClient();
            JsonArray? targets = null;
            for (var attempt = 0; attempt < 100 && targets?.Any(t => (string?)t!["type"] == "page") != true; attempt++)
            {
                targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray();
                await Task.Delay(50);
            }

            var page = targets!.First(t => (string?)t!["type"] == "page")!;
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            return new HeadlessChromium(process, socket, profile);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true },
        };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var message = await ReceiveAsync();
            if ((int?)message["id"] == id)
            {
                return message["result"]?["result"]?["value"];
            }
        }
    }

    /// <summary>The page's current DOM.</summary>
    public async Task<string> GetDomAsync() => (string?)await EvaluateAsync("document.documentElement.outerHTML") ?? string.Empty;

    /// <summary>Waits until the script <paramref name="condition"/> is true in the page.</summary>
    public async Task WaitUntilAsync(string condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while ((bool?)await EvaluateAsync($"!!({condition})") != true)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out in the browser waiting for: {what}. DOM: {await GetDomAsync()}");
            }

            await Task.Delay(100);
        }
    }

    private async Task<JsonNode> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonNode.Parse(message.ToArray())!;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile; it lives under the temp directory.
        }
    }
}

/// <summary>A fact that needs Chromium: skipped locally when it is not installed, failed under CI (which installs it).</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.ExecutablePath is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "SKIPPED: Chromium is not installed (apt-get install -y chromium); the README's test command installs it.";
        }
    }
}
