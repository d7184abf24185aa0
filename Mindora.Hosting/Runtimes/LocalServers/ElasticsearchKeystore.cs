namespace Mindora.Hosting.Runtimes.LocalServers;

/// <summary>
/// Gives the <c>elastic</c> user its password through the node's keystore: <c>bootstrap.password</c>,
/// which the node takes as that user's password while its security index has none. The password
/// goes to elasticsearch-keystore on stdin only — never an argument, an environment variable or a
/// log line. Safe to repeat at every start: the keystore is created only when missing and the
/// setting is overwritten with the same value.
/// </summary>
internal static class ElasticsearchKeystore
{
    public const string PasswordSetting = "bootstrap.password";

    /// <summary>The commands that set the password, in order (as <paramref name="user"/> when root).</summary>
    public static IReadOnlyList<CommandSpec> Commands(ElasticsearchDistribution distribution, ElasticsearchLayout layout, string password, bool isRoot, string user)
    {
        if (password.Length == 0 || password.Contains('\n', StringComparison.Ordinal) || password.Contains('\r', StringComparison.Ordinal))
        {
            // elasticsearch-keystore reads one line from stdin: anything else would be cut or refused.
            throw new MindoraHostingException("The Elasticsearch password must be one non-empty line (no line breaks).");
        }

        var environment = ElasticsearchLauncher.Environment(layout);
        var commands = new List<CommandSpec>();
        if (!File.Exists(layout.KeystoreFile))
        {
            commands.Add(Command(distribution, environment, layout, isRoot, user, ["create"], null));
        }

        commands.Add(Command(distribution, environment, layout, isRoot, user, ["add", "-x", "-f", PasswordSetting], password + "\n"));
        return commands;
    }

    /// <summary>Runs <see cref="Commands"/>; their output goes to the log with the password masked, a failure is an error.</summary>
    public static async Task SetPasswordAsync(ICommandRunner runner, IReadOnlyList<CommandSpec> commands, string password, Action<string> log, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
            foreach (var line in (result.Output + result.Errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                log(line.Replace(password, "****", StringComparison.Ordinal));
            }

            if (!result.Succeeded)
            {
                throw new MindoraHostingException($"'{command}' failed with exit code {result.ExitCode}; its output is in the resource's log.");
            }
        }
    }

    private static CommandSpec Command(ElasticsearchDistribution distribution, IReadOnlyDictionary<string, string?> environment, ElasticsearchLayout layout, bool isRoot, string user, string[] arguments, string? standardInput)
    {
        var (fileName, runAs) = ServiceAccount.As(isRoot, user, distribution.Keystore, arguments);
        return new CommandSpec(fileName, runAs, environment, layout.Root, standardInput);
    }
}
