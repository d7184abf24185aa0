using System.Net.Http.Headers;
using System.Text;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes.LocalServers;
using RabbitMQ.Client;

namespace Mindora.Hosting.Runtimes;

/// <summary>
/// The readiness check of each kind of server, shared by the process and container runtimes: a
/// real protocol exchange with the server's own credentials, never a sleep.
/// </summary>
internal static class ServiceProbes
{
    public static Func<CancellationToken, Task<ProbeResult>> For(ServiceResource service, HttpClient http) => service switch
    {
        PostgresServerResource postgres => async ct => await PostgresLauncher.ProbeAsync(
            PostgresDatabases.ForAppHost((await postgres.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Run, ct).ConfigureAwait(false))! + ";Database=postgres"), ct).ConfigureAwait(false),
        RedisResource redis => async ct => await RedisLauncher.ProbeAsync(
            redis.GetEndpoint(RedisResource.PrimaryEndpointName).Allocated.Port,
            (await redis.Password.GetValueAsync(ValueResolutionContext.Run, ct).ConfigureAwait(false))!,
            ct).ConfigureAwait(false),
        RabbitMQServerResource rabbit => async ct => await AmqpAsync(rabbit, ct).ConfigureAwait(false),
        ElasticsearchResource elastic => async ct => await HttpReadiness.ProbeAsync(
            http,
            new Uri($"{elastic.GetEndpoint(ElasticsearchResource.PrimaryEndpointName).Allocated.Url}/_cluster/health?wait_for_status=yellow&timeout=1s"),
            ct,
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"elastic:{await elastic.Password.GetValueAsync(ValueResolutionContext.Run, ct).ConfigureAwait(false)}")))).ConfigureAwait(false),
        QdrantServerResource qdrant => ct => HttpReadiness.ProbeAsync(http, new Uri($"{qdrant.GetEndpoint(QdrantServerResource.PrimaryEndpointName).Allocated.Url}/readyz"), ct),
        MinioResource minio => ct => HttpReadiness.ProbeAsync(http, new Uri($"{minio.GetEndpoint(MinioResource.PrimaryEndpointName).Allocated.Url}/minio/health/ready"), ct),
        _ => throw new MindoraHostingException($"No readiness check for {service.Kind}."),
    };

    private static async Task<ProbeResult> AmqpAsync(RabbitMQServerResource rabbit, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = rabbit.GetEndpoint(RabbitMQServerResource.PrimaryEndpointName).Allocated.Port,
            UserName = rabbit.UserName,
            Password = (await rabbit.Password.GetValueAsync(ValueResolutionContext.Run, cancellationToken).ConfigureAwait(false))!,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            AutomaticRecoveryEnabled = false,
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync("mindora-apphost-probe", cancellationToken).ConfigureAwait(false);
            var version = connection.ServerProperties is { } properties && properties.TryGetValue("version", out var value) && value is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : "?";
            return ProbeResult.Healthy($"AMQP handshake with RabbitMQ {version}");
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or System.Net.Sockets.SocketException or RabbitMQ.Client.Exceptions.OperationInterruptedException or TimeoutException)
        {
            return ProbeResult.Unhealthy(e.InnerException?.Message ?? e.Message);
        }
    }
}
