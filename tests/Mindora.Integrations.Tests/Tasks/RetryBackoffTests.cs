using Mindora.Integrations.Tasks;

namespace Mindora.Integrations.Tests.Tasks;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Backoff_doubles_per_attempt_with_jitter_and_stays_under_the_cap()
    {
        var baseDelay = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromMinutes(5);

        Assert.Equal(TimeSpan.FromSeconds(1), RetryBackoff.Compute(1, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryBackoff.Compute(1, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(6), RetryBackoff.Compute(3, baseDelay, max, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(5), RetryBackoff.Compute(30, baseDelay, max, 1));
    }
}
