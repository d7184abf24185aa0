using Mindora.Integrations.Tasks;
using Mindora.Integrations.Tests.Support;

namespace Mindora.Integrations.Tests.Tasks;

public sealed class TaskLeaseTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly string[] Default = ["default"];

    [Fact]
    public async Task Expired_lease_is_reclaimed_and_the_old_lease_cannot_complete()
    {
        var clock = new ManualTimeProvider();
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), time: clock);
        var task = await tasks.EnqueueAsync("t", null);
        var stale = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));
        Assert.Null(await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30)));

        clock.Advance(TimeSpan.FromSeconds(31));
        var fresh = await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30));

        Assert.Equal(task.Id, fresh?.Task.Id);
        Assert.Equal(2, fresh?.Task.Attempts);
        Assert.Equal("worker-b", fresh?.Task.Worker);
        Assert.NotEqual(stale!.LeaseToken, fresh!.LeaseToken);
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.CompleteAsync(stale, "\"stale\""));
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.FailAsync(stale, "stale failure"));
        Assert.False(await tasks.RenewLeaseAsync(stale, TimeSpan.FromSeconds(30)));

        await tasks.CompleteAsync(fresh, "\"fresh\"");
        var done = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Succeeded, done?.Status);
        Assert.Equal("\"fresh\"", done?.ResultJson);
        Assert.Equal("worker-b", done?.Worker);
    }

    [Fact]
    public async Task Renewed_lease_is_not_reclaimed()
    {
        var clock = new ManualTimeProvider();
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), time: clock);
        await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await tasks.RenewLeaseAsync(lease!, TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Null(await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30)));
        await tasks.CompleteAsync(lease!, null);
    }

    [Fact]
    public async Task Lease_lost_on_the_last_attempt_fails_the_task_instead_of_running_it_again()
    {
        var clock = new ManualTimeProvider();
        using var tasks = Stores.Tasks(temp.NewStoreDirectory(), time: clock);
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 1 });
        await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30)));
        var failed = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Failed, failed?.Status);
        Assert.Contains("lease", failed?.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Completed_task_cannot_be_completed_or_renewed_again()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        await tasks.EnqueueAsync("t", null);
        var lease = await tasks.TryClaimAsync(Default, "w", TimeSpan.FromMinutes(1));
        await tasks.CompleteAsync(lease!, null);

        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.CompleteAsync(lease!, null));
        Assert.False(await tasks.RenewLeaseAsync(lease!, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Released_task_is_queued_again_at_once_without_using_up_an_attempt()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 1 });
        var lease = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        await tasks.ReleaseAsync(lease!, "worker shutting down");

        var released = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Queued, released?.Status);
        Assert.Equal(0, released?.Attempts);
        Assert.Equal("worker shutting down", released?.Error);
        var again = await tasks.TryClaimAsync(Default, "worker-b", TimeSpan.FromSeconds(30));
        Assert.Equal(1, again?.Task.Attempts);
        await Assert.ThrowsAsync<MindoraConflictException>(() => tasks.ReleaseAsync(lease!, "stale"));
    }

    [Fact]
    public async Task Failure_without_retry_ends_the_task_even_with_attempts_left()
    {
        using var tasks = Stores.Tasks(temp.NewStoreDirectory());
        var task = await tasks.EnqueueAsync("t", null, new EnqueueOptions { MaxAttempts = 5 });
        var lease = await tasks.TryClaimAsync(Default, "worker-a", TimeSpan.FromSeconds(30));

        await tasks.FailAsync(lease!, "bad input", retry: false);

        var failed = await tasks.GetAsync(task.Id);
        Assert.Equal(MindoraTaskStatus.Failed, failed?.Status);
        Assert.Equal(1, failed?.Attempts);
        Assert.Equal("bad input", failed?.Error);
    }
}
