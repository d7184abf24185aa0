using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mindora.Integrations;

/// <summary>The health check of one capability (<c>mindora-files</c>, …): healthy when its probe succeeds.</summary>
internal sealed class MindoraStoreHealthCheck(IMindoraHealthProbe probe, string capability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await probe.ProbeAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Mindora {capability} store is usable.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure means "not ready"; the exception is attached for the health report.
            return new HealthCheckResult(context.Registration.FailureStatus, $"Mindora {capability} store is not usable: {e.Message}", e);
        }
    }
}
