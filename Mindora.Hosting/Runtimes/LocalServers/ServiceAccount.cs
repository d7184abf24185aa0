using System.Security.Cryptography;
using System.Text;

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
        IsRoot
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
    /// lets others through (root's home does not), else one under /var/tmp keyed by it, so the
    /// data still lasts across runs.
    /// </summary>
    public static string ReachableDirectory(string preferred)
    {
        if (!IsRoot || ParentsAreTraversable(preferred))
        {
            return preferred;
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preferred)))[..16];
        return Path.Combine("/var/tmp", "mindora", key, Path.GetFileName(preferred));
    }

    private static bool ParentsAreTraversable(string directory)
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
