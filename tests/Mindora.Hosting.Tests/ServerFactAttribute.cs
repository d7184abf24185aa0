using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting.Tests;

/// <summary>
/// A fact that needs an installed server or tool (PostgreSQL, Redis, RabbitMQ, docker-compose from Debian's packages):
/// skipped, saying what to install, when it is missing locally; failed under CI, whose test
/// command installs them.
/// </summary>
internal sealed class ServerFactAttribute : FactAttribute
{
    public ServerFactAttribute(string server)
    {
        var installed = server switch
        {
            "postgresql" => Directory.Exists("/usr/lib/postgresql") && Directory.GetDirectories("/usr/lib/postgresql").Length > 0,
            "redis-server" => Binaries.Find("redis-server", "/usr/bin/redis-server") is not null,
            "rabbitmq-server" => File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"),
            "docker-compose" => File.Exists("/usr/bin/docker-compose"),
            _ => throw new ArgumentOutOfRangeException(nameof(server), server, "unknown server"),
        };
        if (!installed && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"SKIPPED: {server} is not installed (Debian: apt-get install -y {server}); the README's test command installs it.";
        }
    }
}
