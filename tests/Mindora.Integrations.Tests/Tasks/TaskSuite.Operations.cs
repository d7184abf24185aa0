using System.Diagnostics;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Tasks;

/// <summary>What operators do with tasks (retry, watch the queues) and the trace a task carries.</summary>
public abstract partial class TaskSuite
{
    [Fact]
    public async Task Retrying_a_failed_task_queues_it_again_with_fresh_attempts_and_it_can_succeed()
    {
        var tasks = await OpenAsync();
        var task = await tasks.EnqueueAsync("flaky", new { N = 1 }, new EnqueueOptions { MaxAttempts = 1 });
        await tasks.FailAsync((await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)))!, "disk full");
        Assert.Equal(MindoraTaskStatus.Failed, (await tasks.GetAsync(task.Id))?.Status);

        Assert.True(await tasks.RetryAsync(task.Id));

        var queued = await tasks.GetAsync(task.Id);
        Assert.Equal((MindoraTaskStatus.Queued, 0, "disk full"), (queued?.Status, queued?.Attempts, queued?.Error));
        Assert.Contains(await tasks.ListAsync(MindoraTaskStatus.Queued), t => t.Id == task.Id);
        Assert.DoesNotContain(await tasks.ListAsync(MindoraTaskStatus.Failed), t => t.Id == task.Id);
        var lease = await tasks.TryClaimAsync(Default, "w2", TimeSpan.FromMinutes(1));
        Assert.Equal((task.Id, 1), (lease?.Task.Id, lease?.Task.Attempts));
        await tasks.CompleteAsync(lease!, "\"ok\"");
        var done = await tasks.GetAsync(task.Id);
        Assert.Equal((MindoraTaskStatus.Succeeded, "\"ok\"", (string?)null), (done?.Status, done?.ResultJson, done?.Error));
    }

    [Fact]
    public async Task Retrying_a_canceled_task_queues_it_and_only_failed_or_canceled_tasks_of_the_app_can_be_retried()
    {
        var app = await NewAppAsync();
        var tasks = Open(app);
        var other = Open(await NewAppAsync());
        var canceled = await tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1) });
        Assert.True(await tasks.CancelAsync(canceled.Id));
        var queued = await tasks.EnqueueAsync("t", null);

        Assert.False(await other.RetryAsync(canceled.Id));
        Assert.Equal(MindoraTaskStatus.Canceled, (await tasks.GetAsync(canceled.Id))?.Status);
        Assert.True(await tasks.RetryAsync(canceled.Id));
        Assert.False(await tasks.RetryAsync(canceled.Id));
        Assert.False(await tasks.RetryAsync(queued.Id));
        Assert.False(await tasks.RetryAsync(Guid.NewGuid().ToString("N")));
        await Assert.ThrowsAnyAsync<MindoraException>(() => tasks.RetryAsync("id\n" + queued.Id));
        Assert.Equal(MindoraTaskStatus.Queued, (await tasks.GetAsync(canceled.Id))?.Status);
    }

    [Fact]
    public async Task Queue_depths_count_due_tasks_by_priority_scheduled_and_running_per_queue_of_the_app()
    {
        var tasks = await OpenAsync();
        var other = await OpenAsync();
        await other.EnqueueAsync("t", null);
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Priority = TaskPriority.High });
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Priority = TaskPriority.High });
        await tasks.EnqueueAsync("t", null);
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Priority = TaskPriority.Low, Queue = "bulk" });
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Delay = TimeSpan.FromHours(1), Queue = "bulk" });
        await tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "quiet" });
        await tasks.CancelAsync((await tasks.ListAsync(MindoraTaskStatus.Queued)).Single(t => t.Queue == "quiet").Id);
        Assert.NotNull(await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1)));

        var depths = await tasks.GetQueueDepthsAsync();

        Assert.Equal(
            [new TaskQueueDepth("bulk", 0, 0, 1, 1, 0), new TaskQueueDepth("default", 1, 1, 0, 0, 1)],
            depths);
        Assert.Equal(2, depths[1].Queued);
        Assert.Equal([new TaskQueueDepth("default", 0, 1, 0, 0, 0)], await other.GetQueueDepthsAsync());
    }

    [Fact]
    public async Task A_task_carries_the_trace_context_of_the_span_that_enqueued_it()
    {
        using var source = new ActivitySource("Mindora.Tests.Enqueuer");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Mindora.Tests.Enqueuer" or "Mindora.Tasks",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var tasks = await OpenAsync();

        TaskInfo task;
        ActivityTraceId traceId;
        using (var upload = source.StartActivity("upload"))
        {
            traceId = upload!.TraceId;
            task = await tasks.EnqueueAsync("t", null);
        }

        var untraced = await Task.Run(async () =>
        {
            Activity.Current = null;
            return await tasks.EnqueueAsync("t", null, new EnqueueOptions { Queue = "other" });
        });

        Assert.NotNull(task.TraceParent);
        Assert.Equal(traceId, ActivityContext.Parse(task.TraceParent!, null).TraceId);
        Assert.Equal(task.TraceParent, (await tasks.GetAsync(task.Id))?.TraceParent);
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        Assert.Equal(task.TraceParent, lease?.Task.TraceParent);
        Assert.NotEqual(traceId, ActivityContext.Parse(untraced.TraceParent!, null).TraceId);
    }
}
