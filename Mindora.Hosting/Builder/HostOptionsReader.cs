using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Mindora.Hosting;

/// <summary>Reads <see cref="MindoraHostOptions"/> from configuration, rejecting bad values with a clear message.</summary>
internal static class HostOptionsReader
{
    public static MindoraHostOptions Read(IConfiguration configuration, string currentDirectory)
    {
        var options = new MindoraHostOptions();
        var section = configuration.GetSection("Mindora");

        if (section["Runtime"] is { Length: > 0 } runtime)
        {
            options.Runtime = ParseRuntime(runtime, "--runtime");
        }

        foreach (var resource in section.GetSection("Resources").GetChildren())
        {
            if (resource["Runtime"] is { Length: > 0 } value)
            {
                options.ResourceRuntimes[resource.Key] = ParseRuntime(value, $"Mindora:Resources:{resource.Key}:Runtime");
            }
        }

        var dataDir = section["DataDir"];
        options.DataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(dataDir) ? ".mindora" : dataDir, currentDirectory);

        if (section["Dashboard:Url"] is { Length: > 0 } url)
        {
            options.DashboardUrl = ParseHttpUrl(url, "--dashboard-url");
        }

        options.Unsecured = ParseBool(section["Dashboard:Unsecured"], "--unsecured");
        options.RandomizePorts = ParseBool(section["RandomizePorts"], "--randomize-ports");
        options.Strict = ParseBool(section["Strict"], "--strict");

        if (section["ShutdownTimeoutSeconds"] is { Length: > 0 } timeout)
        {
            if (!double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 600)
            {
                throw new MindoraHostingException($"--shutdown-timeout '{timeout}' is not a number of seconds between 0 and 600.");
            }

            options.ShutdownTimeout = TimeSpan.FromSeconds(seconds);
        }

        if (section["Otlp:Endpoint"] is { Length: > 0 } otlp)
        {
            options.OtlpEndpoint = ParseHttpUrl(otlp, "--otlp-endpoint");
        }

        if (section["Elasticsearch:Home"] is { Length: > 0 } elasticsearchHome)
        {
            options.ElasticsearchHome = Path.GetFullPath(elasticsearchHome, currentDirectory);
        }

        if (section["Elasticsearch:HeapMegabytes"] is { Length: > 0 } heap)
        {
            // Below 256 MiB a node fails under the smallest load; above 31 GiB the JVM loses compressed pointers.
            if (!int.TryParse(heap, NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes) || megabytes is < 256 or > 31744)
            {
                throw new MindoraHostingException($"Mindora:Elasticsearch:HeapMegabytes '{heap}' is not a whole number of MiB between 256 and 31744.");
            }

            options.ElasticsearchHeapMegabytes = megabytes;
        }

        if (configuration["DOTNET_ENVIRONMENT"] is { Length: > 0 } environment)
        {
            options.EnvironmentName = environment;
        }

        return options;
    }

    private static RuntimePreference ParseRuntime(string value, string setting) => value.ToUpperInvariant() switch
    {
        "AUTO" => RuntimePreference.Auto,
        "EMBEDDED" => RuntimePreference.Embedded,
        "PROCESS" => RuntimePreference.Process,
        "CONTAINER" => RuntimePreference.Container,
        _ => throw new MindoraHostingException($"{setting} '{value}' is not a runtime; allowed: auto, embedded, process, container."),
    };

    private static Uri ParseHttpUrl(string value, string setting)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.PathAndQuery != "/")
        {
            throw new MindoraHostingException($"{setting} '{value}' is not an http URL without a path, e.g. http://127.0.0.1:18888.");
        }

        return uri;
    }

    private static bool ParseBool(string? value, string setting)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        return bool.TryParse(value, out var result)
            ? result
            : throw new MindoraHostingException($"{setting} '{value}' is not true or false.");
    }
}
