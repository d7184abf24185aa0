using System.Reflection;

namespace Mindora.Hosting;

/// <summary>
/// Finds the built assembly of each project. The AppHost's build records, for every project it
/// references with <c>IsMindoraProject="true"</c>, where that project's assembly is
/// (<c>Mindora.Hosting.targets</c> writes assembly metadata), so starting the stack builds
/// nothing. A project the AppHost does not reference is built once, at start.
/// </summary>
internal sealed class ProjectTargets
{
    public const string ProjectMetadataPrefix = "Mindora.ProjectTarget:";
    public const string AppHostDirectoryKey = "Mindora.AppHostDirectory";

    private readonly Dictionary<string, string> _targets;
    private readonly string _configuration;

    private ProjectTargets(Dictionary<string, string> targets, string configuration)
    {
        _targets = targets;
        _configuration = configuration;
    }

    public static ProjectTargets FromAssembly(Assembly appHost)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var metadata in appHost.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (metadata.Key.StartsWith(ProjectMetadataPrefix, StringComparison.Ordinal) && metadata.Value is { Length: > 0 } target)
            {
                targets[Path.GetFullPath(metadata.Key[ProjectMetadataPrefix.Length..])] = target;
            }
        }

        var configuration = appHost.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        return new ProjectTargets(targets, string.IsNullOrEmpty(configuration) ? "Debug" : configuration);
    }

    /// <summary>The AppHost project's directory as its build recorded it, or null.</summary>
    public static string? AppHostDirectory(Assembly appHost) =>
        appHost.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(m => m.Key == AppHostDirectoryKey)?.Value;

    /// <summary>The assembly to run for <paramref name="projectPath"/>, building the project if the AppHost's build did not.</summary>
    public async Task<string> ResolveAsync(string projectPath, Action<string> log, CancellationToken cancellationToken)
    {
        if (_targets.TryGetValue(Path.GetFullPath(projectPath), out var recorded) && File.Exists(recorded))
        {
            return recorded;
        }

        log($"{Path.GetFileName(projectPath)} is not built by the AppHost's build (add a ProjectReference with IsMindoraProject=\"true\"); building it now.");
        await RunDotnetAsync(["build", projectPath, "-c", _configuration, "--nologo", "-v", "quiet"], log, cancellationToken).ConfigureAwait(false);
        var output = await RunDotnetAsync(["msbuild", projectPath, "-getProperty:TargetPath", $"-p:Configuration={_configuration}"], log, cancellationToken).ConfigureAwait(false);
        var targetPath = output.Trim();
        if (!File.Exists(targetPath))
        {
            throw new MindoraHostingException($"Building {projectPath} did not produce {targetPath}.");
        }

        _targets[Path.GetFullPath(projectPath)] = targetPath;
        return targetPath;
    }

    private static async Task<string> RunDotnetAsync(IReadOnlyList<string> arguments, Action<string> log, CancellationToken cancellationToken)
    {
        var result = await Runtimes.CommandRunner.RunAsync(Runtimes.DotnetHost.Path, arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            foreach (var line in (result.Output + result.Errors).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log(line);
            }

            throw new MindoraHostingException($"dotnet {string.Join(' ', arguments.Take(2))} failed with exit code {result.ExitCode}.");
        }

        return result.Output;
    }
}
