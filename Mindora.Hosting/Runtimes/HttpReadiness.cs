namespace Mindora.Hosting.Runtimes;

/// <summary>An HTTP readiness endpoint as a probe.</summary>
internal static class HttpReadiness
{
    public static async Task<ProbeResult> ProbeAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? ProbeResult.Healthy($"GET {url.AbsolutePath} answered {(int)response.StatusCode}")
                : ProbeResult.Unhealthy($"GET {url.AbsolutePath} answered {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Unhealthy($"GET {url.AbsolutePath}: {e.Message}");
        }
    }
}
