using System.Globalization;
using System.Text;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>Where one node keeps its things, all under the resource's (reachable) data directory.</summary>
internal sealed record ElasticsearchLayout(string Root)
{
    /// <summary>ES_PATH_CONF: the generated configuration and the keystore.</summary>
    public string Config => Path.Combine(Root, "config");

    public string Data => Path.Combine(Root, "data");

    public string Logs => Path.Combine(Root, "logs");

    /// <summary>ES_TMPDIR, so the node leaves nothing in /tmp.</summary>
    public string Temp => Path.Combine(Root, "tmp");

    public string KeystoreFile => Path.Combine(Config, "elasticsearch.keystore");

    public string HeapOptionsFile => Path.Combine(Config, "jvm.options.d", "mindora-heap.options");
}

/// <summary>
/// The node's own ES_PATH_CONF, rewritten at every start (ports change from run to run): a
/// single-node, loopback-only elasticsearch.yml with security on and plain HTTP (as the container
/// runtime configures it), the heap in jvm.options.d, and the distribution's log4j2.properties
/// and jvm.options. The keystore beside them is kept.
/// </summary>
internal static class ElasticsearchNodeConfig
{
    /// <summary>Distribution files that follow its version, so they are refreshed at each start.</summary>
    private static readonly string[] Refreshed = ["jvm.options", "log4j2.properties"];

    /// <summary>Files that are ours (or a secret store): never copied from the distribution.</summary>
    private static readonly string[] NeverCopied = ["elasticsearch.yml", "elasticsearch.keystore"];

    public static string Yaml(string resourceName, ElasticsearchLayout layout, int httpPort, int transportPort) =>
        new StringBuilder()
            .AppendLine("# Written by the Mindora AppHost at every start; changes here are overwritten.")
            .AppendLine(CultureInfo.InvariantCulture, $"cluster.name: {Quote("mindora-" + resourceName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"node.name: {Quote(resourceName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"path.data: {Quote(layout.Data)}")
            .AppendLine(CultureInfo.InvariantCulture, $"path.logs: {Quote(layout.Logs)}")
            .AppendLine("network.host: 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"http.port: {httpPort}")
            .AppendLine(CultureInfo.InvariantCulture, $"transport.port: {transportPort}")
            .AppendLine("discovery.type: single-node")
            .AppendLine("xpack.security.enabled: true")
            .AppendLine("xpack.security.http.ssl.enabled: false")
            .AppendLine("xpack.security.transport.ssl.enabled: false")
            .AppendLine("xpack.security.enrollment.enabled: false")
            .AppendLine("xpack.ml.enabled: false")
            // A local node must not reach out to the internet for GeoIP databases at every start.
            .AppendLine("ingest.geoip.downloader.enabled: false")
            .ToString();

    public static string HeapOptions(int heapMegabytes) =>
        string.Create(CultureInfo.InvariantCulture, $"-Xms{heapMegabytes}m\n-Xmx{heapMegabytes}m\n");

    /// <summary>Writes the configuration directory (created if needed), keeping its keystore.</summary>
    public static async Task WriteAsync(ElasticsearchDistribution distribution, ElasticsearchLayout layout, string yaml, int heapMegabytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(layout.HeapOptionsFile)!);
        foreach (var source in Directory.EnumerateFiles(distribution.ConfigDirectory))
        {
            var name = Path.GetFileName(source);
            var target = Path.Combine(layout.Config, name);
            if (NeverCopied.Contains(name, StringComparer.Ordinal) || (File.Exists(target) && !Refreshed.Contains(name, StringComparer.Ordinal)))
            {
                continue;
            }

            File.Copy(source, target, overwrite: true);
        }

        await File.WriteAllTextAsync(Path.Combine(layout.Config, "elasticsearch.yml"), yaml, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(layout.HeapOptionsFile, HeapOptions(heapMegabytes), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A YAML double-quoted scalar (paths may hold spaces, '#' or ':').</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
