using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Worker;

/// <summary>
/// The worker's ActivitySource and Meter, both named <c>Mindora.Worker</c>: tasks finished (by task
/// name and outcome), attempt duration, tasks running (by task name), and the depth of the
/// worker's queues (due tasks by priority, scheduled tasks) as last sampled from the store.
/// </summary>
internal sealed class WorkerTelemetry : IDisposable
{
    public const string Name = "Mindora.Worker";
    public const string QueueTag = "mindora.queue";
    public const string PriorityTag = "mindora.task.priority";

    private static readonly TaskPriority[] Priorities = [TaskPriority.High, TaskPriority.Default, TaskPriority.Low];

    private volatile IReadOnlyList<TaskQueueDepth> _depths = [];

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(Name);
        Completed = Meter.CreateCounter<long>("mindora.worker.tasks", "{task}", "Tasks the worker finished, by task name and outcome.");
        Duration = Meter.CreateHistogram<double>("mindora.worker.task.duration", "s", "How long each attempt ran.");
        Running = Meter.CreateUpDownCounter<long>("mindora.worker.tasks.running", "{task}", "Tasks running now, by task name.");
        Meter.CreateObservableGauge("mindora.worker.queue.depth", ObserveDue, "{task}", "Due tasks waiting in each of the worker's queues, by priority.");
        Meter.CreateObservableGauge("mindora.worker.queue.scheduled", ObserveScheduled, "{task}", "Tasks of each of the worker's queues waiting for their run time.");
    }

    public ActivitySource Source { get; } = new(Name);

    public Meter Meter { get; }

    public Counter<long> Completed { get; }

    public Histogram<double> Duration { get; }

    public UpDownCounter<long> Running { get; }

    /// <summary>Keeps the latest sample the gauges report.</summary>
    public void ReportDepths(IReadOnlyList<TaskQueueDepth> depths) => _depths = depths;

    public void Dispose() => Source.Dispose();

    private IEnumerable<Measurement<int>> ObserveDue() =>
        _depths.SelectMany(d => Priorities.Select(p => new Measurement<int>(
            d.QueuedAt(p),
            new KeyValuePair<string, object?>(QueueTag, d.Queue),
            new KeyValuePair<string, object?>(PriorityTag, p.ToString().ToLowerInvariant()))));

    private IEnumerable<Measurement<int>> ObserveScheduled() =>
        _depths.Select(d => new Measurement<int>(d.Scheduled, new KeyValuePair<string, object?>(QueueTag, d.Queue)));
}
