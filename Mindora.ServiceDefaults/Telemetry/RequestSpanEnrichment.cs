using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Mindora.ServiceDefaults.Telemetry;

/// <summary>
/// Completes ASP.NET Core's request span the way OpenTelemetry.Instrumentation.AspNetCore would:
/// .NET 10 sets only the start tags (url.path, method, server), so this adds http.route, the
/// status code, error status and the "GET /route" name once the request has run. ASP.NET Core 11
/// does this itself; the values are the same, so this can go when we move to it.
/// </summary>
internal sealed class RequestSpanEnrichment : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(EnrichAsync);
        next(app);
    };

    private static async Task EnrichAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (MarkFailed(context, ex))
        {
            throw; // never reached: the filter returns false so the exception flows on untouched
        }

        if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        var status = context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status);

        var route = context.GetEndpoint()?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route;
        if (route is not null)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = $"{context.Request.Method} {route}";
        }

        if (status >= StatusCodes.Status500InternalServerError)
        {
            activity.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static bool MarkFailed(HttpContext context, Exception ex)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("error.type", ex.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
        }

        return false;
    }
}
