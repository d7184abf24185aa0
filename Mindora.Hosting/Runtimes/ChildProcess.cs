using System.Diagnostics;

namespace Mindora.Hosting.Runtimes;

/// <summary>What to launch.</summary>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="WorkingDirectory">Its working directory.</param>
/// <param name="Environment">Variables to set (null removes an inherited one).</param>
internal sealed record ChildProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment);

/// <summary>
/// A child process in its own session and process group (via setsid), so the terminal's Ctrl+C
/// reaches only the AppHost, which stops children in order; the group is what gets signalled,
/// so a child's own children stop with it. Registered with the reaper while alive.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    public const string SetsidPath = "/usr/bin/setsid";

    private readonly Process _process;
    private readonly ProcessReaper _reaper;
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, ProcessReaper reaper)
    {
        _process = process;
        _reaper = reaper;
        Id = process.Id;
    }

    /// <summary>The process id, which is also its process group id.</summary>
    public int Id { get; }

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public static ChildProcess Start(ChildProcessSpec spec, ProcessReaper reaper, Action<string, bool> onLine)
    {
        var useSetsid = !OperatingSystem.IsWindows() && File.Exists(SetsidPath);
        var start = new ProcessStartInfo
        {
            // setsid execs in place (the child is not a group leader), so the pid stays the same.
            FileName = useSetsid ? SetsidPath : spec.FileName,
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (useSetsid)
        {
            start.ArgumentList.Add(spec.FileName);
        }

        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data, false);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data, true);
            }
        };

        process.Start();
        var child = new ChildProcess(process, reaper);
        reaper.Track(child.Id);
        process.Exited += (_, _) => _ = child.OnExitedAsync();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited)
        {
            _ = child.OnExitedAsync();
        }

        return child;
    }

    private async Task OnExitedAsync()
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        // Drain the redirected output before reporting the exit, so the last lines are kept; a
        // grandchild that escaped with our stdout open must not hold this up for ever. Awaited,
        // not blocked on: a busy thread pool must not eat the drain's time.
        try
        {
            await _process.WaitForExitAsync().WaitAsync(OutputDrainLimit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported without the lines a surviving grandchild may still write.
        }

        _reaper.Untrack(Id);
        _exited.TrySetResult(_process.ExitCode);
    }

    /// <summary>
    /// <paramref name="signal"/> (SIGTERM unless the program wants another to stop promptly) to
    /// the group, then SIGKILL when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan timeout, int signal = NativeSignals.SigTerm, CancellationToken cancellationToken = default)
    {
        if (!Exited.IsCompleted)
        {
            NativeSignals.SignalGroup(Id, signal);
            try
            {
                await Exited.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        var code = await Exited.ConfigureAwait(false);

        // Children of the child that ignored SIGTERM must not outlive it either.
        if (NativeSignals.GroupExists(Id))
        {
            NativeSignals.SignalGroup(Id, NativeSignals.SigKill);
        }

        return code;
    }

    private void Kill()
    {
        NativeSignals.SignalGroup(Id, NativeSignals.SigKill);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended in the meantime.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            Kill();
            await Exited.ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
