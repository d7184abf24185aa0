using System.Security.Cryptography;

namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Servers that refuse to run as root (PostgreSQL) run as their own system user when the AppHost
/// is root: through setpriv, which switches user and then execs in place (no extra process, so
/// signals reach the server directly), with their data in a directory that user owns and reaches.
/// </summary>
internal static class ServiceAccount
{
    public static bool IsRoot => Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();

    public static bool Exists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(user + ":", StringComparison.Ordinal));

    /// <summary>The command and arguments that run <paramref name="fileName"/> as <paramref name="user"/> (unchanged when not root).</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) As(string user, string fileName, IEnumerable<string> arguments) =>
        As(IsRoot, user, fileName, arguments);

    /// <summary>The same, for an explicit <paramref name="isRoot"/> (tests check both).</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) As(bool isRoot, string user, string fileName, IEnumerable<string> arguments) =>
        isRoot
            ? ("/usr/bin/setpriv", [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", fileName, .. arguments])
            : (fileName, [.. arguments]);

    /// <summary>Gives <paramref name="user"/> the directory (recursively) when running as root.</summary>
    public static async Task GiveAsync(string user, string directory, CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            return;
        }

        var result = await CommandRunner.RunAsync("chown", ["-R", $"{user}:{user}", directory], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new MindoraHostingException($"Could not give {directory} to user {user}: {result.Errors.Trim()}");
        }
    }

    /// <summary>
    /// A data directory the service user can reach: <paramref name="preferred"/> when every parent
    /// lets others through (root's home does not), else a new directory under /var/tmp/mindora
    /// whose path is kept in <paramref name="preferred"/> itself — so the data lasts as long as the
    /// data directory does, and deleting the data directory starts afresh.
    /// </summary>
    public static string ReachableDirectory(string preferred)
    {
        if (!IsRoot || ParentsAreTraversable(preferred))
        {
            return preferred;
        }

        Directory.CreateDirectory(preferred);
        var pointer = Path.Combine(preferred, "location");
        if (File.Exists(pointer) && File.ReadAllText(pointer).Trim() is { Length: > 0 } kept && Directory.Exists(kept))
        {
            return kept;
        }

        var relocated = Path.Combine("/var/tmp", "mindora", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), Path.GetFileName(preferred));
        Directory.CreateDirectory(relocated);
        File.WriteAllText(pointer, relocated);
        return relocated;
    }

    /// <summary>Whether every parent of <paramref name="directory"/> lets other users through.</summary>
    public static bool ParentsAreTraversable(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        for (var current = Path.GetDirectoryName(Path.GetFullPath(directory)); current is not null; current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current) && (File.GetUnixFileMode(current) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }
}
