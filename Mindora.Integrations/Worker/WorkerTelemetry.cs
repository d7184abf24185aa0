using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Worker;

/// <summary>The worker's ActivitySource and Meter, both named <c>Mindora.Worker</c>.</summary>
internal sealed class WorkerTelemetry : IDisposable
{
    public const string Name = "Mindora.Worker";

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(Name);
        Completed = Meter.CreateCounter<long>("mindora.worker.tasks", "{task}", "Tasks the worker finished, by task name and outcome.");
        Duration = Meter.CreateHistogram<double>("mindora.worker.task.duration", "s", "How long each attempt ran.");
        Running = Meter.CreateUpDownCounter<long>("mindora.worker.tasks.running", "{task}", "Tasks running now.");
    }

    public ActivitySource Source { get; } = new(Name);

    public Meter Meter { get; }

    public Counter<long> Completed { get; }

    public Histogram<double> Duration { get; }

    public UpDownCounter<long> Running { get; }

    public void Dispose() => Source.Dispose();
}
