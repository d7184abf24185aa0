using Microsoft.AspNetCore.Http;

namespace Mindora.ServiceDefaults.Health;

/// <summary>The paths <c>MapDefaultEndpoints</c> serves; tracing skips requests to them.</summary>
internal static class DefaultEndpoints
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string LiveTag = "live";

    public static bool IsProbe(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return false;
        }

        var request = new PathString(path);
        return request.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase)
            || request.StartsWithSegments(AlivePath, StringComparison.OrdinalIgnoreCase);
    }
}
