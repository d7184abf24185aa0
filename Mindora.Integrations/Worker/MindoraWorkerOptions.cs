namespace Mindora.Integrations.Worker;

/// <summary>How a worker host runs tasks; bound from <c>Mindora:Worker</c> (and <c>--queues</c>, <c>--concurrency</c>).</summary>
public sealed class MindoraWorkerOptions
{
    /// <summary>The queues to take tasks from (priority decides the order within them).</summary>
    public IList<string> Queues { get; } = ["default"];

    /// <summary>How many tasks run at once.</summary>
    public int Concurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How long a claim lasts without a heartbeat; a dead worker's tasks run again after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long running tasks may finish after shutdown begins before they are canceled.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>The longest wait between looks for work when nothing signals new work.</summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the queue depth gauges are refreshed from the store.</summary>
    public TimeSpan QueueDepthInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>This worker's id, shown on the tasks it runs (default: host name and process id).</summary>
    public string? WorkerId { get; set; }
}
