using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations;

/// <summary>
/// The ActivitySource and Meter of one capability (<c>Mindora.Files</c>, …). Every operation
/// runs through <see cref="RunAsync{T}"/>: one span and one duration measurement tagged with the
/// app, the target (bucket, queue, index) and the outcome — never payloads, keys or secrets.
/// </summary>
internal sealed class MindoraInstrumentation : IDisposable
{
    /// <summary>Tag for the app name.</summary>
    public const string AppTag = "mindora.app";

    /// <summary>Tag for the outcome: <c>success</c>, <c>canceled</c>, <c>error</c> or a Mindora error code.</summary>
    public const string OutcomeTag = "mindora.outcome";

    private readonly Histogram<double> _duration;
    private readonly string _spanPrefix;
    private readonly string _targetTag;
    private readonly bool _ownsMeter;

    /// <param name="capability">The capability, e.g. <c>Files</c>; names become <c>Mindora.Files</c> and <c>mindora.files.*</c>.</param>
    /// <param name="instrumentPrefix">Lowercase prefix of instrument names, e.g. <c>mindora.files</c>.</param>
    /// <param name="spanPrefix">Lowercase prefix of span names, e.g. <c>files</c>.</param>
    /// <param name="targetTag">The tag naming the target, e.g. <c>mindora.bucket</c>.</param>
    /// <param name="meterFactory">The host's meter factory; null outside a host (MindoraClient).</param>
    public MindoraInstrumentation(string capability, string instrumentPrefix, string spanPrefix, string targetTag, IMeterFactory? meterFactory)
    {
        Name = "Mindora." + capability;
        InstrumentPrefix = instrumentPrefix;
        _spanPrefix = spanPrefix;
        _targetTag = targetTag;
        var version = typeof(MindoraInstrumentation).Assembly.GetName().Version?.ToString();
        ActivitySource = new ActivitySource(Name, version);
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(new MeterOptions(Name) { Version = version }) ?? new Meter(Name, version);
        _duration = Meter.CreateHistogram<double>(instrumentPrefix + ".operation.duration", "s", $"Duration of Mindora {capability} operations.");
    }

    /// <summary>The ActivitySource and Meter name.</summary>
    public string Name { get; }

    /// <summary>Prefix of instrument names.</summary>
    public string InstrumentPrefix { get; }

    /// <summary>The capability's ActivitySource.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>The capability's Meter.</summary>
    public Meter Meter { get; }

    /// <summary>Creates a counter named <c>{prefix}.{name}</c>.</summary>
    public Counter<long> CreateCounter(string name, string unit, string description) =>
        Meter.CreateCounter<long>($"{InstrumentPrefix}.{name}", unit, description);

    /// <summary>Runs one operation inside a span and records its duration and outcome.</summary>
    public async Task<T> RunAsync<T>(string operation, string app, string? target, Func<Task<T>> body)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = ActivitySource.StartActivity($"{_spanPrefix}.{operation}", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(AppTag, app);
            if (target is not null)
            {
                activity.SetTag(_targetTag, target);
            }
        }

        var outcome = "success";
        try
        {
            return await body();
        }
        catch (OperationCanceledException)
        {
            outcome = "canceled";
            throw;
        }
        catch (MindoraException e)
        {
            outcome = e.ErrorCode;
            activity?.SetStatus(ActivityStatusCode.Error, e.ErrorCode);
            throw;
        }
        catch (Exception e)
        {
            outcome = "error";
            activity?.SetTag("error.type", e.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
        finally
        {
            activity?.SetTag(OutcomeTag, outcome);
            var tags = new TagList { { "mindora.operation", operation }, { AppTag, app }, { OutcomeTag, outcome } };
            if (target is not null)
            {
                tags.Add(_targetTag, target);
            }

            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>Runs one operation without a result inside a span.</summary>
    public Task RunAsync(string operation, string app, string? target, Func<Task> body) =>
        RunAsync<bool>(operation, app, target, async () =>
        {
            await body();
            return true;
        });

    /// <summary>Disposes the ActivitySource, and the Meter unless the host's factory owns it.</summary>
    public void Dispose()
    {
        ActivitySource.Dispose();
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
