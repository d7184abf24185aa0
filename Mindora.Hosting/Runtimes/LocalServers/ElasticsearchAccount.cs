namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Elasticsearch refuses to run as root. When the AppHost is root, the node runs as
/// <c>mindora-es</c>: a system account with no login and no home, created on first use and
/// reused after. A dedicated account (rather than a packaged <c>elasticsearch</c> user) owns only
/// Mindora's nodes, so it cannot touch a system service's data, nor that service ours.
/// </summary>
internal static class ElasticsearchAccount
{
    public const string User = "mindora-es";

    public const string UserAdd = "/usr/sbin/useradd";

    /// <summary>useradd's exit code when the name is taken: another AppHost created it in the meantime.</summary>
    private const int NameInUse = 9;

    /// <summary>Why the node cannot run here as that account, or null when it can.</summary>
    public static string? Unavailable(bool isRoot, Func<string, bool> userExists, ElasticsearchDistribution distribution)
    {
        if (!isRoot)
        {
            return null;
        }

        if (!userExists(User) && !File.Exists(UserAdd))
        {
            return $"Elasticsearch refuses to run as root, there is no '{User}' user to run it as, and no {UserAdd} to create one";
        }

        return ServiceAccount.ParentsAreTraversable(distribution.Server)
            ? null
            : $"Elasticsearch refuses to run as root, and the '{User}' user cannot reach {distribution.Home} (a parent directory does not let others through, as /root does not): unpack it under e.g. /opt";
    }

    /// <summary>The command that creates the account, or null when it is not needed.</summary>
    public static CommandSpec? CreateCommand(bool isRoot, Func<string, bool> userExists) =>
        isRoot && !userExists(User)
            ? new CommandSpec(UserAdd, ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", User], new Dictionary<string, string?>())
            : null;

    public static async Task EnsureAsync(ICommandRunner runner, bool isRoot, Func<string, bool> userExists, Action<string> log, CancellationToken cancellationToken)
    {
        if (CreateCommand(isRoot, userExists) is not { } create)
        {
            return;
        }

        log($"Creating the system user '{User}' to run Elasticsearch, which refuses to run as root.");
        var result = await runner.RunAsync(create, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && result.ExitCode != NameInUse)
        {
            throw new MindoraHostingException($"Could not create the user '{User}' for Elasticsearch: {result.Errors.Trim()}");
        }
    }
}
