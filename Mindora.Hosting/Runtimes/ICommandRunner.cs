namespace Mindora.Hosting.Runtimes;

/// <summary>A short command to run to completion.</summary>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">Its arguments (never a secret: they show in every process list).</param>
/// <param name="Environment">Variables to set (null removes an inherited one).</param>
/// <param name="WorkingDirectory">Its working directory, or the current one.</param>
/// <param name="StandardInput">Text written to its stdin, then closed: the channel for secrets.</param>
internal sealed record CommandSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> Environment,
    string? WorkingDirectory = null,
    string? StandardInput = null)
{
    /// <summary>The command line, without its input (which may be a secret).</summary>
    public override string ToString() => string.Join(' ', [FileName, .. Arguments]);
}

/// <summary>Runs short commands; the seam that lets launchers' setup commands be checked without their server.</summary>
internal interface ICommandRunner
{
    Task<CommandRunner.Result> RunAsync(CommandSpec command, CancellationToken cancellationToken);
}

/// <summary>Runs commands as real processes.</summary>
internal sealed class SystemCommandRunner : ICommandRunner
{
    public static readonly SystemCommandRunner Instance = new();

    public Task<CommandRunner.Result> RunAsync(CommandSpec command, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(command.FileName, command.Arguments, cancellationToken, command.Environment, command.WorkingDirectory, command.StandardInput);
}
