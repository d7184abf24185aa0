using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;
using Mindora.Integrations.Worker;

namespace Mindora.Integrations.Tests.Worker;

/// <summary>The worker's metrics (read with a MeterListener) and the trace each task continues.</summary>
public sealed class WorkerTelemetryTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Metrics_report_queue_depth_by_priority_running_tasks_outcomes_per_task_and_durations()
    {
        var gate = new Gate();
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory(), ("Mindora:Worker:Concurrency", "1"), ("Mindora:Worker:QueueDepthInterval", "0.1"));
        builder.Services.AddSingleton(gate);
        builder.AddMindoraWorker().AddHandler<HoldHandler>("hold").AddHandler<OkHandler>("ok").AddHandler<BoomHandler>("boom");
        await using var host = await builder.StartAsync();
        using var metrics = new WorkerMetrics(host.Get<IMeterFactory>());

        var hold = await host.Tasks.EnqueueAsync("hold", null);
        await host.Tasks.WaitForTaskAsync(hold.Id, t => t.Status == MindoraTaskStatus.Running);
        var waiting = new List<TaskInfo>
        {
            await host.Tasks.EnqueueAsync("ok", null, new EnqueueOptions { Priority = TaskPriority.High }),
            await host.Tasks.EnqueueAsync("ok", null, new EnqueueOptions { Priority = TaskPriority.High }),
            await host.Tasks.EnqueueAsync("boom", null, new EnqueueOptions { Priority = TaskPriority.Low, MaxAttempts = 1 }),
        };
        await host.Tasks.EnqueueAsync("ok", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1) });

        await Poll.UntilAsync(
            () => metrics.Gauge("mindora.worker.queue.depth", "high") == 2 && metrics.Gauge("mindora.worker.queue.depth", "low") == 1
                && metrics.Gauge("mindora.worker.queue.depth", "default") == 0 && metrics.Gauge("mindora.worker.queue.scheduled", null) == 1,
            "the depth gauges to show the waiting tasks");
        Assert.Equal(1, metrics.Sum("mindora.worker.tasks.running", "hold"));

        gate.Open();
        foreach (var task in waiting.Prepend(hold))
        {
            await host.Tasks.WaitForTaskAsync(task.Id);
        }

        await Poll.UntilAsync(() => metrics.Gauge("mindora.worker.queue.depth", "high") == 0 && metrics.Gauge("mindora.worker.queue.depth", "low") == 0, "the queue to drain");
        Assert.Equal(0, metrics.Sum("mindora.worker.tasks.running", "hold"));
        Assert.Equal(2, metrics.Sum("mindora.worker.tasks", "ok", "succeeded"));
        Assert.Equal(1, metrics.Sum("mindora.worker.tasks", "hold", "succeeded"));
        Assert.Equal(1, metrics.Sum("mindora.worker.tasks", "boom", "failed"));
        Assert.Equal(4, metrics.Count("mindora.worker.task.duration"));
        Assert.True(metrics.Sum("mindora.worker.task.duration", "hold", "succeeded") > 0);
    }

    [Fact]
    public async Task The_span_of_each_attempt_continues_the_trace_of_the_enqueue()
    {
        using var source = new ActivitySource("Mindora.Tests.Uploader");
        var finished = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Mindora.Tests.Uploader" or WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = finished.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var builder = WorkerHosts.CreateBuilder(temp.NewStoreDirectory());
        builder.AddMindoraWorker().AddHandler<OkHandler>("ok").AddHandler<BoomHandler>("boom");
        await using var host = await builder.StartAsync();

        TaskInfo ok, boom;
        ActivityTraceId traceId;
        using (var upload = source.StartActivity("upload"))
        {
            traceId = upload!.TraceId;
            ok = await host.Tasks.EnqueueAsync("ok", null);
            boom = await host.Tasks.EnqueueAsync("boom", null, new EnqueueOptions { MaxAttempts = 2 });
        }

        await host.Tasks.WaitForTaskAsync(ok.Id);
        await host.Tasks.WaitForTaskAsync(boom.Id);
        await Poll.UntilAsync(() => Spans(finished, boom.Id).Count == 2 && Spans(finished, ok.Id).Count == 1, "the worker's spans");

        var spans = Spans(finished, ok.Id).Concat(Spans(finished, boom.Id)).ToList();
        Assert.All(spans, s => Assert.Equal((traceId, ActivityKind.Consumer), (s.TraceId, s.Kind)));
        Assert.Equal(ActivityContext.Parse(ok.TraceParent!, null).SpanId, Spans(finished, ok.Id)[0].ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, Spans(finished, boom.Id)[0].Status);
    }

    private static List<Activity> Spans(IEnumerable<Activity> finished, string taskId) =>
        finished.Where(a => a.Source.Name == WorkerTelemetry.Name && (string?)a.GetTagItem("mindora.task.id") == taskId).ToList();

    private sealed class Gate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Opened => _open.Task;

        public void Open() => _open.TrySetResult();
    }

    private sealed class HoldHandler(Gate gate) : ITaskHandler
    {
        public async Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken)
        {
            await gate.Opened.WaitAsync(cancellationToken);
            return null;
        }
    }

    private sealed class OkHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>("ok");
    }

    private sealed class BoomHandler : ITaskHandler
    {
        public Task<object?> HandleAsync(TaskContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Boom.");
    }

    /// <summary>Everything the host's Mindora.Worker meter reports, summed by instrument and tags.</summary>
    private sealed class WorkerMetrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
        private readonly ConcurrentDictionary<(string Instrument, string? Tag), double> _gauges = new();

        public WorkerMetrics(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WorkerTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        /// <summary>The latest observation of a gauge for the default queue (and a priority).</summary>
        public double? Gauge(string instrument, string? priority)
        {
            _listener.RecordObservableInstruments();
            return _gauges.TryGetValue((instrument, priority), out var value) ? value : null;
        }

        public double Sum(string instrument, string task, string? outcome = null) =>
            _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("mindora.task.name"), task)
                && (outcome is null || Equals(m.Tags.GetValueOrDefault("mindora.task.outcome"), outcome))).Sum(m => m.Value);

        public int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (instrument is ObservableGauge<int>)
            {
                if (Equals(map.GetValueOrDefault(WorkerTelemetry.QueueTag), "default"))
                {
                    _gauges[(instrument.Name, map.GetValueOrDefault(WorkerTelemetry.PriorityTag) as string)] = value;
                }

                return;
            }

            _measurements.Enqueue((instrument.Name, value, map));
        }
    }
}
