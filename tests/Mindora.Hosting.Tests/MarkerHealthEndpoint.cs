using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mindora.Hosting.Tests;

/// <summary>
/// A health endpoint on a given loopback port that answers 200 once a marker file exists and 503
/// before. Plain sockets, not HttpListener: its Start throws when a probe connects at the very
/// moment it starts listening (a race in HttpEndPointListener's constructor).
/// </summary>
internal sealed class MarkerHealthEndpoint : IDisposable
{
    private readonly TcpListener _listener;
    private readonly string _marker;
    private readonly CancellationTokenSource _stop = new();

    public MarkerHealthEndpoint(int port, string marker)
    {
        _marker = marker;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => AnswerAsync(client));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var status = File.Exists(_marker) ? "200 OK" : "503 Service Unavailable";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The prober gave up or the test ended; nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
