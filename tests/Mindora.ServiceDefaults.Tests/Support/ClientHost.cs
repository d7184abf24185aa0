using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mindora.ServiceDefaults.Tests.Support;

/// <summary>
/// A host with <c>AddServiceDefaults()</c> and the given configuration, as an app calling other
/// services has it. Built from an empty builder so the process environment cannot leak in.
/// </summary>
internal static class ClientHost
{
    public static IHost Create(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "client-under-test",
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        return builder.Build();
    }

    public static HttpClient CreateClient(this IHost host, string name = "") =>
        host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    /// <summary>Short delays so the resilience tests run in well under a second each.</summary>
    public static Dictionary<string, string?> FastResilience(
        int retries = 3, string attemptTimeout = "00:00:05", bool retryPost = false) => new()
    {
        ["Mindora:Http:Resilience:TotalRequestTimeout"] = "00:00:20",
        ["Mindora:Http:Resilience:AttemptTimeout"] = attemptTimeout,
        ["Mindora:Http:Resilience:Retry:MaxRetryAttempts"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mindora:Http:Resilience:Retry:BaseDelay"] = "00:00:00.010",
        ["Mindora:Http:Resilience:Retry:UseJitter"] = "false",
        ["Mindora:Http:Resilience:Retry:RetryNonIdempotentMethods"] = retryPost ? "true" : "false",
    };
}
