using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mindora.ServiceDefaults.Tests.Support;

/// <summary>
/// A web app as a Mindora service writes it (<c>AddServiceDefaults</c> + <c>MapDefaultEndpoints</c>),
/// on Kestrel at 127.0.0.1 and a free port. Settings go into this host's configuration only.
/// </summary>
internal static class TestWebApp
{
    public static async Task<WebApplication> StartAsync(
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = "web-under-test",
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        map?.Invoke(app);
        await app.StartAsync();
        return app;
    }

    public static Uri BaseAddress(this WebApplication app) => new(app.Urls.Single());
}
