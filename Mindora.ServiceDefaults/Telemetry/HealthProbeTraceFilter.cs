using System.Diagnostics;
using Mindora.ServiceDefaults.Health;
using OpenTelemetry;

namespace Mindora.ServiceDefaults.Telemetry;

/// <summary>
/// Drops the server spans of <c>/health</c> and <c>/alive</c>: probes arrive every few seconds and
/// would bury the real requests. Works with whatever sampler the app chose.
/// </summary>
internal sealed class HealthProbeTraceFilter : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);

        if (data.Kind == ActivityKind.Server
            && data.Source.Name == AspNetCoreTracing.SourceName
            && DefaultEndpoints.IsProbe(data.GetTagItem("url.path") as string))
        {
            // The exporter skips unrecorded spans, and child spans inherit the cleared flag.
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
