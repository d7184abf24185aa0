using Mindora.Testing;

namespace Mindora.Integrations.Tests.Support;

/// <summary>Apps provisioned on the shared redis-server for one test, each with its own ACL user; remembers their connection strings.</summary>
internal sealed class RedisApps(SharedServers servers)
{
    private readonly Dictionary<string, AppConnections> _apps = [];

    public async Task<string> NewAppAsync()
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

    /// <summary>The app's Redis connection string (its ACL user and password).</summary>
    public string Redis(string app)
    {
        lock (_apps)
        {
            return _apps[app].Redis;
        }
    }
}
