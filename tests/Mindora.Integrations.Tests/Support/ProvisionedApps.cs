using Mindora.Testing;

namespace Mindora.Integrations.Tests.Support;

/// <summary>Apps a test class provisions on the shared servers, remembered by name so providers can connect as them.</summary>
public sealed class ProvisionedApps(SharedServers servers)
{
    private readonly Dictionary<string, AppConnections> _apps = [];

    /// <summary>Provisions a fresh app and returns its name.</summary>
    public async Task<string> NewAsync()
    {
        if (servers.Unavailable is not null)
        {
            throw new InvalidOperationException(servers.Unavailable);
        }

        var connections = await servers.CreateAppAsync(SharedServers.NewAppName());
        lock (_apps)
        {
            _apps[connections.App] = connections;
        }

        return connections.App;
    }

    /// <summary>The connection strings of an app provisioned here.</summary>
    public AppConnections this[string app]
    {
        get
        {
            lock (_apps)
            {
                return _apps[app];
            }
        }
    }
}
