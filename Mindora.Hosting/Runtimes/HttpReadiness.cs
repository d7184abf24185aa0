namespace Mindora.Hosting.Runtimes;

/// <summary>An HTTP readiness endpoint as a probe.</summary>
internal static class HttpReadiness
{
    public static async Task<ProbeResult> ProbeAsync(HttpClient client, Uri url, CancellationToken cancellationToken, System.Net.Http.Headers.AuthenticationHeaderValue? authorization = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = authorization;
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
