namespace Mindora.Integrations.Cache;

/// <summary>
/// Runs at most one computation per key in this process; concurrent callers of the same key share
/// its result. A caller that cancels stops waiting; the computation itself is cancelled only when
/// every caller has left, so one impatient caller cannot fail the others.
/// </summary>
internal sealed class SingleFlight
{
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<byte[]> RunAsync(string key, Func<CancellationToken, Task<byte[]>> work, CancellationToken cancellationToken)
    {
        Flight? flight;
        var leader = false;
        lock (_gate)
        {
            if (!_flights.TryGetValue(key, out flight))
            {
                flight = new Flight();
                _flights.Add(key, flight);
                leader = true;
            }

            flight.Callers++;
        }

        if (leader)
        {
            _ = ExecuteAsync(key, flight, work);
        }

        try
        {
            return await flight.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Leave(key, flight);
            throw;
        }
    }

    private async Task ExecuteAsync(string key, Flight flight, Func<CancellationToken, Task<byte[]>> work)
    {
        try
        {
            flight.Result.TrySetResult(await work(flight.Cancellation.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException e)
        {
            flight.Result.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            flight.Result.TrySetException(e);
        }
        finally
        {
            lock (_gate)
            {
                flight.Finished = true;
                if (_flights.TryGetValue(key, out var current) && ReferenceEquals(current, flight))
                {
                    _flights.Remove(key);
                }
            }

            // Not disposed: Leave may be cancelling it right now, and without a timer it holds nothing to free.
        }
    }

    private void Leave(string key, Flight flight)
    {
        lock (_gate)
        {
            if (--flight.Callers > 0 || flight.Finished)
            {
                return;
            }

            // Nobody waits any more: the next caller starts afresh.
            if (_flights.TryGetValue(key, out var current) && ReferenceEquals(current, flight))
            {
                _flights.Remove(key);
            }
        }

        // Outside the lock: cancelling may run the work's continuation inline.
        flight.Cancellation.Cancel();
    }

    private sealed class Flight
    {
        public TaskCompletionSource<byte[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        public int Callers { get; set; }

        public bool Finished { get; set; }
    }
}
