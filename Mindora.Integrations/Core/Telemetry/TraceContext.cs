using System.Diagnostics;

namespace Mindora.Integrations;

/// <summary>
/// W3C trace context carried with work that runs later (a message, a task): written where the
/// work is created, read where it runs, so one trace spans both. Uses the process's
/// <see cref="DistributedContextPropagator"/>, as ASP.NET Core and HttpClient do.
/// </summary>
internal static class TraceContext
{
    /// <summary>The header that carries the trace id and parent span id.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>Writes <paramref name="activity"/>'s context (traceparent, tracestate, baggage) into <paramref name="headers"/>.</summary>
    public static void Inject(Activity? activity, IDictionary<string, string> headers)
    {
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, key, value) => ((IDictionary<string, string>)carrier!)[key] = value);
        }
    }

    /// <summary>The traceparent of <paramref name="activity"/> (or the current one), or null when there is none.</summary>
    public static string? CaptureTraceParent(Activity? activity = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        Inject(activity ?? Activity.Current, headers);
        return headers.GetValueOrDefault(TraceParentHeader);
    }

    /// <summary>The remote parent context in <paramref name="headers"/>; default when they carry none (or a malformed one).</summary>
    public static ActivityContext Extract(IReadOnlyDictionary<string, string> headers)
    {
        DistributedContextPropagator.Current.ExtractTraceIdAndState(
            headers,
            static (carrier, name, out value, out values) =>
            {
                values = null;
                value = ((IReadOnlyDictionary<string, string>)carrier!).TryGetValue(name, out var found) ? found : null;
            },
            out var traceParent,
            out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent) ? parent : default;
    }

    /// <summary>The remote parent context of a stored traceparent; default for null or malformed text.</summary>
    public static ActivityContext FromTraceParent(string? traceParent) =>
        traceParent is null ? default : Extract(new Dictionary<string, string>(StringComparer.Ordinal) { [TraceParentHeader] = traceParent });
}
