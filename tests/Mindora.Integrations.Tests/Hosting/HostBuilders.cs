using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Mindora.Integrations.Tests.Hosting;

internal static class HostBuilders
{
    /// <summary>An empty host builder whose configuration holds exactly <paramref name="settings"/>.</summary>
    public static HostApplicationBuilder Create(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }
}
