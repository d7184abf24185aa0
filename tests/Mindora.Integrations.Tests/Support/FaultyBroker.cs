using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Support;

/// <summary>
/// For faults the real store cannot be made to produce on demand: the worker's broker fails the
/// first <c>n</c> claims or renewals with a chosen exception; every other call goes to the real store.
/// </summary>
internal sealed class FaultyBroker(ITaskBroker inner, BrokerFaults faults) : ITaskBroker
{
    /// <summary>Makes the host's worker use a faulty broker over the real store.</summary>
    public static BrokerFaults Install(HostApplicationBuilder builder)
    {
        var faults = new BrokerFaults();
        builder.Services.AddSingleton<ITaskBroker>(sp => new FaultyBroker(sp.GetRequiredService<ITasksProvider>(), faults));
        return faults;
    }

    public Task<TaskLease?> TryClaimAsync(IReadOnlyList<string> queues, string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        faults.Claims.Next() is { } error ? throw error : inner.TryClaimAsync(queues, workerId, leaseDuration, cancellationToken);

    public Task WaitForWorkAsync(IReadOnlyList<string> queues, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        inner.WaitForWorkAsync(queues, maxWait, cancellationToken);

    public Task<bool> RenewLeaseAsync(TaskLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        faults.Renewals.Next() is { } error ? throw error : inner.RenewLeaseAsync(lease, leaseDuration, cancellationToken);

    public Task CompleteAsync(TaskLease lease, string? resultJson, CancellationToken cancellationToken = default) =>
        inner.CompleteAsync(lease, resultJson, cancellationToken);

    public Task FailAsync(TaskLease lease, string error, bool retry = true, CancellationToken cancellationToken = default) =>
        inner.FailAsync(lease, error, retry, cancellationToken);

    public Task ReleaseAsync(TaskLease lease, string reason, CancellationToken cancellationToken = default) =>
        inner.ReleaseAsync(lease, reason, cancellationToken);
}

internal sealed class BrokerFaults
{
    public Fault Claims { get; } = new();

    public Fault Renewals { get; } = new();

    /// <summary>The next <see cref="Times"/> calls throw what <see cref="Error"/> makes.</summary>
    internal sealed class Fault
    {
        private int _remaining;
        private int _thrown;

        public Func<Exception> Error { get; set; } = () => new MindoraUnavailableException("The embedded tasks store stayed locked by another process; try again.");

        public int Times
        {
            set => Volatile.Write(ref _remaining, value);
        }

        public int Thrown => Volatile.Read(ref _thrown);

        public Exception? Next()
        {
            if (Interlocked.Decrement(ref _remaining) < 0)
            {
                Interlocked.Exchange(ref _remaining, 0);
                return null;
            }

            Interlocked.Increment(ref _thrown);
            return Error();
        }
    }
}
