using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mindora.Integrations.Tasks;

/// <summary>The ActivitySource, Meter (<c>Mindora.Tasks</c>) and counters every Tasks provider reports to.</summary>
internal sealed class TaskTelemetry : IDisposable
{
    private readonly string _app;

    public TaskTelemetry(string app, IMeterFactory? meterFactory)
    {
        _app = app;
        Instrumentation = new MindoraInstrumentation("Tasks", "mindora.tasks", "tasks", "mindora.queue", meterFactory);
        Enqueued = Instrumentation.CreateCounter("enqueued", "{task}", "Tasks enqueued.");
        Claimed = Instrumentation.CreateCounter("claimed", "{task}", "Task attempts claimed by workers.");
        Completed = Instrumentation.CreateCounter("completed", "{task}", "Tasks that succeeded.");
        Failed = Instrumentation.CreateCounter("failed", "{task}", "Tasks that failed after their last attempt.");
        Retried = Instrumentation.CreateCounter("retried", "{task}", "Failed attempts scheduled to run again.");
    }

    public MindoraInstrumentation Instrumentation { get; }

    public Counter<long> Enqueued { get; }

    public Counter<long> Claimed { get; }

    public Counter<long> Completed { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Task<T> RunAsync<T>(string operation, string? queue, Func<Task<T>> body) => Instrumentation.RunAsync(operation, _app, queue, body);

    public Task RunAsync(string operation, string? queue, Func<Task> body) => Instrumentation.RunAsync(operation, _app, queue, body);

    /// <summary>Adds one to <paramref name="counter"/> for the queue.</summary>
    public void Count(Counter<long> counter, string? queue, long by = 1) => counter.Add(by, Tags(queue));

    public TagList Tags(string? queue)
    {
        var tags = new TagList { { MindoraInstrumentation.AppTag, _app } };
        if (queue is not null)
        {
            tags.Add("mindora.queue", queue);
        }

        return tags;
    }

    public void Dispose() => Instrumentation.Dispose();
}
