using Microsoft.Extensions.Logging;
using Mindora.Hosting.ApplicationModel;
using Mindora.Hosting.Runtimes;

namespace Mindora.Hosting;

/// <summary>
/// Drives one resource through its life: wait for its dependencies to be healthy, launch it,
/// probe its health, restart it with backoff when it ends on its own, and stop it gracefully.
/// Subclasses only say how to launch an instance.
/// </summary>
internal abstract partial class ResourceSupervisor : IDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan UnhealthyProbeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HealthyProbeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _control = new(1, 1);
    private CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;
    private IRunningService? _current;

    protected ResourceSupervisor(IResource resource, OrchestratorContext context)
    {
        Resource = resource;
        Context = context;
        Dependencies = ModelValidator.DependenciesOf(resource).Distinct().ToList();
    }

    public IResource Resource { get; }

    public IReadOnlyList<IResource> Dependencies { get; }

    protected OrchestratorContext Context { get; }

    /// <summary>Whether the resource is launched again after it ends on its own.</summary>
    protected virtual bool RestartOnExit => true;

    /// <summary>Launches one instance of the resource.</summary>
    protected abstract Task<IRunningService> LaunchAsync(CancellationToken cancellationToken);

    /// <summary>The endpoints to show once an instance runs.</summary>
    protected virtual IReadOnlyList<EndpointSnapshot> DescribeEndpoints() =>
        Resource.AnnotationsOf<EndpointAnnotation>()
            .Where(e => e.Allocated is not null)
            .Select(e => new EndpointSnapshot(e.Name, e.Allocated!.Url))
            .ToList();

    /// <summary>Whether people may stop, start and restart it from the dashboard.</summary>
    public virtual bool CanBeControlled => true;

    public void Start()
    {
        var stopping = _stopping.Token;
        _run = Task.Run(() => RunAsync(stopping));
    }

    /// <summary>Starts the resource again after it was stopped or failed (a dashboard action); false while it runs.</summary>
    public async Task<bool> StartAgainAsync()
    {
        await _control.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_run.IsCompleted)
            {
                return false;
            }

            _stopping.Dispose();
            _stopping = new CancellationTokenSource();
            Log("Started from the dashboard.");
            Start();
            return true;
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>Stops, then starts the resource (a dashboard action).</summary>
    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartAgainAsync().ConfigureAwait(false);
    }

    protected ResourceSnapshot Update(Func<ResourceSnapshot, ResourceSnapshot> change) =>
        Context.Notifications.Update(Resource.Name, change);

    protected void Log(string text) => Context.Logs.Write(Resource.Name, LogOrigin.System, text);

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await WaitForDependenciesAsync(stopping).ConfigureAwait(false);
            await SuperviseAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync takes it from here.
        }
        catch (Exception e)
        {
            Log($"Failed: {e.Message}");
            LogFailed(Context.Logger, Resource.Name, e.Message);
            Update(s => s with { State = ResourceState.Failed, Health = ResourceHealth.Unknown, Error = Context.Masker.Mask(e.Message), StoppedAt = Context.Time.GetUtcNow() });
        }
    }

    private async Task WaitForDependenciesAsync(CancellationToken stopping)
    {
        if (Dependencies.Count == 0)
        {
            return;
        }

        Update(s => s with { State = ResourceState.Waiting });
        foreach (var dependency in Dependencies)
        {
            Log($"Waiting for '{dependency.Name}' to be healthy.");
            var snapshot = await Context.Notifications
                .WaitForAsync(dependency.Name, s => s.IsHealthy || s.State == ResourceState.Failed, stopping)
                .ConfigureAwait(false);
            if (snapshot.State == ResourceState.Failed)
            {
                throw new MindoraHostingException($"it waits for '{dependency.Name}', which failed to start.");
            }
        }
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var restarts = 0;
        while (true)
        {
            Update(s => s with { State = ResourceState.Starting, Health = ResourceHealth.Unknown, Error = null });
            var instance = await LaunchAsync(stopping).ConfigureAwait(false);
            _current = instance;
            Update(s => s with
            {
                State = ResourceState.Running,
                StartedAt = Context.Time.GetUtcNow(),
                StoppedAt = null,
                ExitCode = null,
                ProcessId = instance.ProcessId,
                Endpoints = DescribeEndpoints(),
            });

            await MonitorAsync(instance, stopping).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            var exitCode = await instance.Exited.ConfigureAwait(false);
            _current = null;
            await instance.DisposeAsync().ConfigureAwait(false);
            Log($"Exited with code {exitCode}.");
            LogExited(Context.Logger, Resource.Name, exitCode);
            Update(s => s with { State = ResourceState.Exited, Health = ResourceHealth.Unknown, ExitCode = exitCode, ProcessId = null, StoppedAt = Context.Time.GetUtcNow() });
            if (!RestartOnExit)
            {
                return;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(MaxRestartDelay.TotalSeconds, Math.Pow(2, restarts)));
            Log($"Restarting in {delay.TotalSeconds:0} s.");
            await Task.Delay(delay, Context.Time, stopping).ConfigureAwait(false);
            restarts++;
            Update(s => s with { Restarts = restarts });
        }
    }

    private async Task MonitorAsync(IRunningService instance, CancellationToken stopping)
    {
        var lastHealthy = (bool?)null;
        while (!stopping.IsCancellationRequested && !instance.Exited.IsCompleted)
        {
            ProbeResult result;
            using (var probeCancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                probeCancellation.CancelAfter(ProbeTimeout);
                try
                {
                    result = await instance.ProbeAsync(probeCancellation.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    result = ProbeResult.Unhealthy($"the health probe did not answer within {ProbeTimeout.TotalSeconds:0} s");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    result = ProbeResult.Unhealthy(e.Message);
                }
            }

            if (stopping.IsCancellationRequested || instance.Exited.IsCompleted)
            {
                return;
            }

            if (lastHealthy != result.IsHealthy)
            {
                Log(result.IsHealthy ? $"Healthy{Suffix(result.Description)}." : $"Unhealthy: {result.Description}");
                lastHealthy = result.IsHealthy;
            }

            Update(s => s with
            {
                Health = result.IsHealthy ? ResourceHealth.Healthy : ResourceHealth.Unhealthy,
                HealthDescription = result.Description is null ? null : Context.Masker.Mask(result.Description),
            });

            var interval = result.IsHealthy ? HealthyProbeInterval : UnhealthyProbeInterval;
            await Task.WhenAny(Task.Delay(interval, Context.Time, stopping), instance.Exited).ConfigureAwait(false);
        }
    }

    private static string Suffix(string? description) => description is null ? string.Empty : $" ({description})";

    /// <summary>Stops the resource: SIGTERM, then kill after the shutdown timeout.</summary>
    public async Task StopAsync()
    {
        await _control.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _control.Release();
        }
    }

    private async Task StopCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        if (_current is not { } instance)
        {
            return;
        }

        _current = null;
        Update(s => s with { State = ResourceState.Stopping });
        try
        {
            await instance.StopAsync(Context.Options.ShutdownTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            var exitCode = instance.Exited.IsCompletedSuccessfully ? instance.Exited.Result : (int?)null;
            Update(s => s with { State = ResourceState.Stopped, Health = ResourceHealth.Unknown, ExitCode = exitCode, ProcessId = null, StoppedAt = Context.Time.GetUtcNow() });
            Log("Stopped.");
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _control.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} exited with code {ExitCode}")]
    private static partial void LogExited(ILogger logger, string resource, int exitCode);
}
