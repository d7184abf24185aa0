using System.Net;
using System.Net.Sockets;

namespace Mindora.Hosting;

/// <summary>Finds free loopback ports and checks that fixed ones are free, never handing out one port twice.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];
    private readonly Lock _gate = new();

    public int AllocateFree()
    {
        lock (_gate)
        {
            // The OS may hand back a port it gave us a moment ago; ask again until it is new.
            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (_given.Add(port))
                {
                    return port;
                }
            }

            throw new MindoraHostingException("Could not find a free loopback port.");
        }
    }

    /// <summary>Reserves a fixed port; false when something already listens on it.</summary>
    public bool TryReserve(int port)
    {
        lock (_gate)
        {
            if (_given.Contains(port) || !IsFree(port))
            {
                return false;
            }

            _given.Add(port);
            return true;
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
