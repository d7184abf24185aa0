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
}
