using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mindora.Integrations.Tests.Files;

/// <summary>
/// One real web app (Kestrel on a loopback port) per app name, each mapping <c>MapMindoraFiles()</c>
/// over the same embedded store and the same signing key, as the AppHost runs them.
/// </summary>
internal sealed class EmbeddedFilesWebApps(string directory, string signingKey) : IAsyncDisposable
{
    private readonly Dictionary<string, Task<(WebApplication App, HttpClient Http)>> _apps = [];

    public async Task<HttpResponseMessage> SendAsync(string app, HttpMethod method, Uri url, HttpContent? content, Action<HttpRequestMessage>? configure = null)
    {
        Task<(WebApplication App, HttpClient Http)> started;
        lock (_apps)
        {
            if (!_apps.TryGetValue(app, out started!))
            {
                started = _apps[app] = StartAsync(app);
            }
        }

        var (_, http) = await started;
        using var request = new HttpRequestMessage(method, url) { Content = content };
        configure?.Invoke(request);
        return await http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var started in _apps.Values)
        {
            var (app, http) = await started;
            http.Dispose();
            await app.DisposeAsync();
        }
    }

    private async Task<(WebApplication App, HttpClient Http)> StartAsync(string appName)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:files"] = MindoraConnectionString.ForEmbedded(directory);
        builder.Configuration["Mindora:Files:SigningKey"] = signingKey;
        builder.AddMindora(appName);
        var app = builder.Build();
        app.MapMindoraFiles();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }
}
