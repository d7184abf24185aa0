using System.Text.RegularExpressions;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// An unpacked Elasticsearch distribution (the tar.gz from elastic.co, or the deb/rpm layout in
/// /usr/share/elasticsearch with its configuration in /etc/elasticsearch).
/// </summary>
/// <param name="Home">The directory holding bin/elasticsearch.</param>
/// <param name="ConfigDirectory">The distribution's own configuration (log4j2.properties, jvm.options).</param>
/// <param name="Version">The version from lib/elasticsearch-X.Y.Z.jar, or null when not found.</param>
internal sealed partial record ElasticsearchDistribution(string Home, string ConfigDirectory, string? Version)
{
    public const string PackageHome = "/usr/share/elasticsearch";

    public string Server => Path.Combine(Home, "bin", "elasticsearch");

    public string Keystore => Path.Combine(Home, "bin", "elasticsearch-keystore");

    /// <summary>
    /// The distribution to run: the configured home (<c>Mindora:Elasticsearch:Home</c>), else
    /// <c>ES_HOME</c>, else the one whose bin/elasticsearch is on PATH, else the package layout.
    /// A configured home that is not a distribution is reported, not skipped for another.
    /// </summary>
    /// <returns>The distribution, or null with the reason.</returns>
    public static (ElasticsearchDistribution? Distribution, string Reason) Find(string? configuredHome, string? esHome, string? path, string packageHome = PackageHome)
    {
        if (!string.IsNullOrWhiteSpace(configuredHome))
        {
            return Open(configuredHome, "Mindora:Elasticsearch:Home");
        }

        if (!string.IsNullOrWhiteSpace(esHome))
        {
            return Open(esHome, "ES_HOME");
        }

        var onPath = (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "elasticsearch"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            // bin/elasticsearch is often a symlink (e.g. /usr/local/bin): its home is beside the real file.
            var real = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
            return Open(Path.GetDirectoryName(Path.GetDirectoryName(real))!, $"elasticsearch on PATH ({onPath})");
        }

        return Directory.Exists(packageHome)
            ? Open(packageHome, "the package layout")
            : (null, "no Elasticsearch distribution: set Mindora:Elasticsearch:Home (or ES_HOME) to an unpacked Elasticsearch 8.x from https://www.elastic.co/downloads/elasticsearch, or put its bin/elasticsearch on PATH");
    }

    private static (ElasticsearchDistribution?, string) Open(string home, string source)
    {
        var full = Path.GetFullPath(home);
        if (!File.Exists(Path.Combine(full, "bin", "elasticsearch")) || !File.Exists(Path.Combine(full, "bin", "elasticsearch-keystore")))
        {
            return (null, $"{source} names {full}, which has no bin/elasticsearch and bin/elasticsearch-keystore (expected an unpacked Elasticsearch 8.x)");
        }

        var config = new[] { Path.Combine(full, "config"), "/etc/elasticsearch" }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "log4j2.properties")) && File.Exists(Path.Combine(d, "jvm.options")));
        if (config is null)
        {
            return (null, $"the Elasticsearch distribution at {full} has no config/log4j2.properties and config/jvm.options to start from");
        }

        var version = ReadVersion(full);
        if (version is not null && int.Parse(version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) < 8)
        {
            // Its configuration uses 8.x settings (xpack.security.enrollment.*), which 7.x refuses at start.
            return (null, $"the Elasticsearch distribution at {full} is {version}; the process runtime runs 8.x or later");
        }

        return (new ElasticsearchDistribution(full, config, version), string.Empty);
    }

    private static string? ReadVersion(string home)
    {
        var lib = Path.Combine(home, "lib");
        return Directory.Exists(lib)
            ? Directory.EnumerateFiles(lib, "elasticsearch-*.jar")
                .Select(f => VersionJar().Match(Path.GetFileName(f)))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .FirstOrDefault()
            : null;
    }

    [GeneratedRegex(@"^elasticsearch-(\d+\.\d+\.\d+)\.jar$")]
    private static partial Regex VersionJar();
}
