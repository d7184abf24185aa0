using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;

namespace Mindora.Hosting;

/// <summary>
/// Runs a resource as a child process with the AppHost's environment contract; healthy when
/// its HTTP health check answers (or, without one, while it runs).
/// </summary>
internal abstract class ProcessSupervisor(IResourceWithEnvironment resource, OrchestratorContext context)
    : ResourceSupervisor(resource, context)
{
    /// <summary>The program, its arguments and working directory.</summary>
    protected abstract Task<(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)> ResolveCommandAsync(CancellationToken cancellationToken);

    protected override async Task<IRunningService> LaunchAsync(CancellationToken cancellationToken)
    {
        var (fileName, arguments, workingDirectory) = await ResolveCommandAsync(cancellationToken).ConfigureAwait(false);
        var environment = await ProcessEnvironment.BuildAsync(resource, Context, cancellationToken).ConfigureAwait(false);
        Update(s => s with { Environment = environment.ForDisplay, Runtime = RuntimeKind.Process, RuntimeReason = $"a {resource.Kind} runs as a child process" });

        Log($"Starting {Path.GetFileName(fileName)} {string.Join(' ', arguments.Select(Path.GetFileName))}.");
        var child = ChildProcess.Start(
            new ChildProcessSpec(fileName, arguments, workingDirectory, environment.ForProcess),
            Context.Reaper,
            (line, isError) => Context.Logs.Write(resource.Name, isError ? LogOrigin.Stderr : LogOrigin.Stdout, line));
        return new RunningProcess(child, HealthUrl(), Context.ProbeClient);
    }

    private Uri? HealthUrl()
    {
        var check = resource.LastAnnotationOf<HttpHealthCheckAnnotation>();
        if (check is null)
        {
            return null;
        }

        var endpoint = resource.AnnotationsOf<EndpointAnnotation>().Single(e => e.Name == check.EndpointName).Allocated!;
        return new Uri(new Uri(endpoint.Url), check.Path);
    }

    private sealed class RunningProcess(ChildProcess child, Uri? healthUrl, HttpClient probeClient) : IRunningService
    {
        public int? ProcessId => child.Id;

        public Task<int> Exited => child.Exited;

        public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken) =>
            healthUrl is null
                ? Task.FromResult(ProbeResult.Healthy("running; no health check declared"))
                : HttpReadiness.ProbeAsync(probeClient, healthUrl, cancellationToken);

        public Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken) => child.StopAsync(timeout, cancellationToken: cancellationToken);

        public ValueTask DisposeAsync() => child.DisposeAsync();
    }
}

/// <summary>Runs a project's built assembly with the same dotnet that runs the AppHost.</summary>
internal sealed class ProjectSupervisor(ProjectResource project, OrchestratorContext context)
    : ProcessSupervisor(project, context)
{
    protected override async Task<(string, IReadOnlyList<string>, string)> ResolveCommandAsync(CancellationToken cancellationToken)
    {
        var assembly = await Context.Projects.ResolveAsync(project.ProjectPath, Log, cancellationToken).ConfigureAwait(false);
        return (DotnetHost.Path, [assembly], Path.GetDirectoryName(project.ProjectPath)!);
    }
}

/// <summary>Runs an arbitrary program.</summary>
internal sealed class ExecutableSupervisor(ExecutableResource executable, OrchestratorContext context)
    : ProcessSupervisor(executable, context)
{
    protected override Task<(string, IReadOnlyList<string>, string)> ResolveCommandAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(string, IReadOnlyList<string>, string)>((executable.Command, executable.Arguments, executable.WorkingDirectory));
}
