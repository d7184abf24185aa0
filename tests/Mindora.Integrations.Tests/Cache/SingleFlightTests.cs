using Mindora.Integrations.Cache;

namespace Mindora.Integrations.Tests.Cache;

public sealed class SingleFlightTests
{
    [Fact]
    public async Task A_caller_that_cancels_leaves_the_shared_work_running_for_the_others()
    {
        var flights = new SingleFlight();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        using var impatient = new CancellationTokenSource();
        async Task<byte[]> Work(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            await release.Task.WaitAsync(ct);
            return [42];
        }

        var leaving = flights.RunAsync("k", Work, impatient.Token);
        var staying = flights.RunAsync("k", Work, CancellationToken.None);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        release.SetResult();

        Assert.Equal([42], await staying);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task When_every_caller_cancels_the_work_is_cancelled_and_the_next_caller_starts_afresh()
    {
        var flights = new SingleFlight();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = new CancellationTokenSource();

        var abandoned = flights.RunAsync("k", async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            return [];
        }, first.Token);
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([7], await flights.RunAsync("k", _ => Task.FromResult<byte[]>([7]), CancellationToken.None));
    }
}
