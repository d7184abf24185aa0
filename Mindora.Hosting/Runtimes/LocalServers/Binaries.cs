namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>Finds installed programs: a configured path, a well-known location, or PATH.</summary>
internal static class Binaries
{
    public static string? Find(string name, params string[] wellKnown)
    {
        foreach (var candidate in wellKnown)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The program <paramref name="setting"/> names when it is set (a wrong path is reported, not
    /// replaced by another), else <paramref name="name"/> on PATH; with the reason the dashboard shows.
    /// </summary>
    public static (string? Path, string Reason) FindConfigured(string name, string? configured, string setting)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = System.IO.Path.GetFullPath(configured);
            return File.Exists(full) ? (full, $"{name} at {full} ({setting})") : (null, $"{setting} names {full}, which does not exist");
        }

        return Find(name) is { } found ? (found, $"{name} at {found}") : (null, $"no {name} binary on PATH (or set {setting})");
    }
}
