using System.Globalization;
using System.Net.Security;

namespace Mindora.Integrations.Redis;

/// <summary>Which RESP version the client asks for.</summary>
internal enum RedisProtocol
{
    /// <summary>RESP3 through <c>HELLO 3</c> when the server has it, else RESP2.</summary>
    Auto,

    /// <summary>RESP2 only (no HELLO).</summary>
    Resp2,
}

/// <summary>
/// A parsed StackExchange.Redis-style connection string:
/// <c>host:port,user=…,password=…,ssl=true,sslHost=…,defaultDatabase=2,connectTimeout=5000,asyncTimeout=5000,name=…,protocol=resp2</c>.
/// Values are never echoed in errors: the string holds a password.
/// </summary>
internal sealed record RedisConnectionSettings
{
    public const int DefaultPort = 6379;

    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    public string? User { get; init; }

    public string? Password { get; init; }

    public bool Ssl { get; init; }

    /// <summary>The name the server certificate must carry; the host when null.</summary>
    public string? SslHost { get; init; }

    public int DefaultDatabase { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public string? ClientName { get; init; }

    public RedisProtocol Protocol { get; init; } = RedisProtocol.Auto;

    /// <summary>Certificate check for TLS; the system's trust when null (tests pin their own certificate).</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Parses <paramref name="connectionString"/>; errors name the connection and the key, never a value.</summary>
    public static RedisConnectionSettings Parse(string connectionString, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        string? endpoint = null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (endpoint is not null)
                {
                    throw Error(connectionName, "names more than one endpoint; Mindora's Redis client connects to exactly one server");
                }

                endpoint = raw;
                continue;
            }

            values[raw[..equals].Trim()] = raw[(equals + 1)..].Trim();
        }

        if (endpoint is null)
        {
            throw Error(connectionName, "names no endpoint; expected 'host:port,…'");
        }

        var (host, port) = ParseEndpoint(endpoint, connectionName);
        var settings = new RedisConnectionSettings { Host = host, Port = port };
        foreach (var (key, value) in values)
        {
            settings = key.ToUpperInvariant() switch
            {
                "PASSWORD" => settings with { Password = value },
                "USER" => settings with { User = value.Length == 0 ? null : value },
                "SSL" => settings with { Ssl = ParseBool(value, key, connectionName) },
                "SSLHOST" => settings with { SslHost = value },
                "DEFAULTDATABASE" => settings with { DefaultDatabase = ParseInt(value, key, connectionName, 0, 1_000_000) },
                "CONNECTTIMEOUT" => settings with { ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(value, key, connectionName, 1, int.MaxValue)) },
                "ASYNCTIMEOUT" or "SYNCTIMEOUT" => settings with { CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(value, key, connectionName, 1, int.MaxValue)) },
                "NAME" => settings with { ClientName = value.Length == 0 ? null : value },
                "PROTOCOL" => settings with { Protocol = ParseProtocol(value, key, connectionName) },
                // Accepted for compatibility with StackExchange.Redis strings; they do not apply to one server.
                "ABORTCONNECT" or "ALLOWADMIN" or "CONNECTRETRY" or "KEEPALIVE" or "RESOLVEDNS" or "TIEBREAKER" or "CONFIGCHANNEL" or "SERVICENAME" => settings,
                _ => throw Error(connectionName, $"has the unknown option '{Shorten(key)}'; allowed: user, password, ssl, sslHost, defaultDatabase, connectTimeout, asyncTimeout, syncTimeout, name, protocol"),
            };
        }

        if (settings.User is not null && settings.Password is null)
        {
            throw Error(connectionName, "names a user but no password");
        }

        return settings;
    }

    /// <summary>Only the endpoint: the generated record text would include the password.</summary>
    public override string ToString() => Describe();

    /// <summary>"host:port", for messages and telemetry (no secrets).</summary>
    public string Describe() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static (string Host, int Port) ParseEndpoint(string endpoint, string connectionName)
    {
        string host;
        string? port = null;
        if (endpoint.StartsWith('['))
        {
            // [ipv6]:port
            var close = endpoint.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(connectionName, "has a malformed IPv6 endpoint");
            }

            host = endpoint[1..close];
            if (close + 1 < endpoint.Length)
            {
                port = endpoint[(close + 1)..].TrimStart(':');
            }
        }
        else
        {
            var colon = endpoint.LastIndexOf(':');
            host = colon < 0 ? endpoint : endpoint[..colon];
            port = colon < 0 ? null : endpoint[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw Error(connectionName, "has an endpoint without a host");
        }

        return (host, port is null ? DefaultPort : ParseInt(port, "port", connectionName, 1, 65535));
    }

    private static int ParseInt(string value, string key, string connectionName, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Error(connectionName, $"has an invalid '{key}': allowed is a whole number from {min} to {max}");

    private static bool ParseBool(string value, string key, string connectionName) =>
        bool.TryParse(value, out var flag) ? flag : throw Error(connectionName, $"has an invalid '{key}': allowed is true or false");

    private static RedisProtocol ParseProtocol(string value, string key, string connectionName) => value.ToUpperInvariant() switch
    {
        "RESP2" or "2" => RedisProtocol.Resp2,
        "RESP3" or "3" or "" => RedisProtocol.Auto,
        _ => throw Error(connectionName, $"has an invalid '{key}': allowed is resp2 or resp3"),
    };

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40] + "…";

    private static MindoraConfigurationException Error(string connectionName, string problem) =>
        new($"Connection string '{connectionName}' {problem}.");
}
