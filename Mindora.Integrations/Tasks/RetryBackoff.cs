namespace Mindora.Integrations.Tasks;

/// <summary>The delay before a failed task runs again.</summary>
internal static class RetryBackoff
{
    /// <summary>
    /// <paramref name="baseDelay"/> doubled per attempt, capped at <paramref name="maxDelay"/>, with
    /// "equal jitter": half fixed, half random (<paramref name="random01"/> in [0, 1)), so tasks that
    /// failed together do not retry together yet never retry sooner than half the backoff.
    /// </summary>
    public static TimeSpan Compute(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random01)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random01));
    }
}
