namespace Mindora.Integrations.Tasks;

/// <summary>
/// Wakes waiting workers of this process when a task is enqueued here. Waiters take
/// <see cref="Next"/> BEFORE looking for work, so a pulse between the look and the wait is not lost.
/// </summary>
internal sealed class WorkSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every current waiter.</summary>
    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
