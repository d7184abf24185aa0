using Mindora.Hosting.Runtimes.LocalServers;

namespace Mindora.Hosting.Tests;

public class ServiceAccountTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_data_directory_the_service_user_cannot_reach_moves_and_follows_the_data_directory()
    {
        var parent = TestStack.NewTempDirectory();
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // like /root or mktemp -d
        var preferred = Path.Combine(parent, "volumes", "postgres");

        var first = ServiceAccount.ReachableDirectory(preferred);
        var again = ServiceAccount.ReachableDirectory(preferred);

        if (!ServiceAccount.IsRoot)
        {
            Assert.Equal(preferred, first); // Not root: the server runs as us and reaches it.
            return;
        }

        Assert.True(Directory.Exists(first));
        Assert.StartsWith("/var/tmp/mindora/", first, StringComparison.Ordinal);
        Assert.Equal(first, again);

        // A new data directory (the old one deleted) starts afresh instead of finding old data.
        Directory.Delete(parent, recursive: true);
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var fresh = ServiceAccount.ReachableDirectory(preferred);
        Assert.StartsWith("/var/tmp/mindora/", fresh, StringComparison.Ordinal);
        Assert.NotEqual(first, fresh);
        Directory.Delete(Path.GetDirectoryName(first)!, recursive: true);
    }
}
