namespace Mindora.ServiceDefaults.Telemetry;

/// <summary>ASP.NET Core's own request tracing, used instead of OpenTelemetry.Instrumentation.AspNetCore.</summary>
internal static class AspNetCoreTracing
{
    /// <summary>The ActivitySource ASP.NET Core creates its request spans from (since .NET 9).</summary>
    public const string SourceName = "Microsoft.AspNetCore";

    private const string SuppressSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// .NET 10 leaves the semantic-convention tags (url.path, http.route, http.response.status_code)
    /// off its request span unless this switch is false; .NET 11 turns them on by default. An app
    /// that set the switch itself keeps its choice. Read when the web host builds its pipeline.
    /// </summary>
    public static void UseSemanticConventionTags()
    {
        if (!AppContext.TryGetSwitch(SuppressSwitch, out _))
        {
            AppContext.SetSwitch(SuppressSwitch, false);
        }
    }
}
